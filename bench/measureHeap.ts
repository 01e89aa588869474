import type { BrowserContext, Page } from 'playwright-core'

export interface HeapUsage {
  /** V8 heap in use after a full GC (what performance.memory.usedJSHeapSize reports, unrounded). */
  usedBytes: number
  /** ArrayBuffer backing stores (e.g. Yjs update bytes), outside the V8 heap. */
  backingStoreBytes: number
}

/** Forces a full garbage collection in the page's renderer through CDP, then reads its heap. */
export async function measureHeap(context: BrowserContext, page: Page): Promise<HeapUsage> {
  const cdp = await context.newCDPSession(page)
  try {
    // Twice: the first pass can leave objects that only become garbage once finalizers ran.
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const usage = await cdp.send('Runtime.getHeapUsage')
    return { usedBytes: usage.usedSize, backingStoreBytes: usage.backingStorageSize ?? 0 }
  } finally {
    await cdp.detach()
  }
}
