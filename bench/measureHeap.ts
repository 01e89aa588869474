import type { BrowserContext, CDPSession, Page } from 'playwright-core'

export interface HeapUsage {
  /** V8 heap in use after a full GC, page and its workers (each as `performance.memory.usedJSHeapSize` would say, unrounded). */
  usedBytes: number
  /** Of usedBytes: the page's main thread. */
  mainBytes: number
  /** Of usedBytes: the page's dedicated workers (the app decodes documents in one). */
  workerBytes: number
  /** ArrayBuffer backing stores (e.g. Yjs update bytes), outside the V8 heaps, page and workers. */
  backingStoreBytes: number
}

interface HeapReading { usedSize: number; backingStorageSize?: number }

/** Sends CDP commands to a worker through the page's session (non-flat target sessions). */
function workerChannel(cdp: CDPSession, sessionId: string) {
  let nextId = 1
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const onMessage = (event: { sessionId?: string; message: string }) => {
    if (event.sessionId !== sessionId) return
    const msg = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } }
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id)
    if (!waiter) return
    pending.delete(msg.id!)
    if (msg.error) waiter.reject(new Error(msg.error.message))
    else waiter.resolve(msg.result)
  }
  cdp.on('Target.receivedMessageFromTarget', onMessage)
  return {
    async send<T>(method: string, params: object = {}): Promise<T> {
      const id = nextId++
      const result = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }))
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
      return result
    },
    close: () => cdp.off('Target.receivedMessageFromTarget', onMessage),
  }
}

/**
 * Forces full garbage collections in the page and in its dedicated workers through CDP, then
 * reads their heaps. Workers count: an app that moves its documents off the main thread still
 * holds them in the same tab.
 */
export async function measureHeap(context: BrowserContext, page: Page): Promise<HeapUsage> {
  const cdp = await context.newCDPSession(page)
  const workerSessions: string[] = []
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker') workerSessions.push(event.sessionId)
  })
  try {
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
    // Twice: the first pass can leave objects that only become garbage once finalizers ran.
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const main = (await cdp.send('Runtime.getHeapUsage')) as HeapReading
    let workerBytes = 0
    let workerBacking = 0
    for (const sessionId of workerSessions) {
      const worker = workerChannel(cdp, sessionId)
      try {
        await worker.send('HeapProfiler.collectGarbage')
        await worker.send('HeapProfiler.collectGarbage')
        const usage = await worker.send<HeapReading>('Runtime.getHeapUsage')
        workerBytes += usage.usedSize
        workerBacking += usage.backingStorageSize ?? 0
      } finally {
        worker.close()
      }
    }
    return {
      usedBytes: main.usedSize + workerBytes,
      mainBytes: main.usedSize,
      workerBytes,
      backingStoreBytes: (main.backingStorageSize ?? 0) + workerBacking,
    }
  } finally {
    await cdp.detach()
  }
}
