import { Worker } from 'node:worker_threads'
import type { RelayLogger } from '../relayLogger'
import type { DocTask, DocTaskResults, DocWorkerReply, DocWorkerRequest } from './docWorkerProtocol'
import { MalformedMessageError } from './malformedMessageError'

interface Pending {
  resolve(result: unknown): void
  reject(error: Error): void
}

interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

/**
 * A few worker threads (docWorker.ts) for the work on big documents that would block the
 * event loop for seconds: reading, merging, diffing and validating them (writes go through the
 * document writer). Workers start on first use (or `start()`) and run at a lower OS priority
 * than the main thread. Bytes go in and out as shared memory or transferred buffers, never as
 * main-thread copies.
 */
export class DocWorkerPool {
  private readonly slots: Slot[] = []
  private nextId = 1
  private closed = false

  constructor(
    private readonly size: number,
    private readonly logger: RelayLogger,
  ) {}

  /** Runs one task; `transfer` lists buffers to move to the worker (the caller gives them up). */
  run<K extends DocTask['kind']>(task: Extract<DocTask, { kind: K }>, transfer: ArrayBuffer[] = []): Promise<DocTaskResults[K]> {
    if (this.closed) return Promise.reject(new Error('document workers are closed'))
    const slot = this.pick()
    const id = this.nextId++
    return new Promise<DocTaskResults[K]>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (result: unknown) => void, reject })
      const request: DocWorkerRequest = { id, task }
      slot.worker.postMessage(request, transfer)
    })
  }

  /** Starts every worker now (they load their code in the background). */
  start(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn()
  }

  /** Tasks sent and not answered yet. */
  busy(): number {
    return this.slots.reduce((n, slot) => n + slot.pending.size, 0)
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.splice(0).map(async (slot) => {
      const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()))
      // Handled once the worker has loaded its code (messages wait until then): stopping a
      // thread while it loads can take the process down, so terminate only as a last resort.
      slot.worker.postMessage({ close: true })
      const timer = setTimeout(() => void slot.worker.terminate(), 10_000)
      await exited
      clearTimeout(timer)
    }))
  }

  private pick(): Slot {
    let best: Slot | undefined
    for (const slot of this.slots) if (!best || slot.pending.size < best.pending.size) best = slot
    if (best && (best.pending.size === 0 || this.slots.length >= this.size)) return best
    return this.spawn()
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './rooms/docWorker.ts' } })
    worker.unref()
    const slot: Slot = { worker, pending: new Map() }
    this.slots.push(slot)
    worker.on('message', (reply: DocWorkerReply | { log: string }) => {
      if ('log' in reply) {
        this.logger.warn(reply.log)
        return
      }
      const pending = slot.pending.get(reply.id)
      if (!pending) return
      slot.pending.delete(reply.id)
      if (reply.ok) pending.resolve(reply.result)
      else pending.reject(reply.malformed ? new MalformedMessageError(reply.error.split('\n')[0]?.replace(/^\w*Error: /, '') ?? 'invalid update') : new Error(`document worker: ${reply.error}`))
    })
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot)
      if (index >= 0) this.slots.splice(index, 1)
      for (const pending of slot.pending.values()) pending.reject(error)
      slot.pending.clear()
    }
    worker.on('error', (error) => {
      this.logger.error(`document worker failed: ${error.stack ?? error.message}`)
      fail(error)
    })
    worker.on('exit', (code) => fail(new Error(`document worker exited with code ${code}`)))
    return slot
  }
}
