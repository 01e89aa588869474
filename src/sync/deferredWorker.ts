/** What a deferred worker needs of the thing it starts: a Worker, or a MessagePort in tests. */
export interface WorkerLike<T> {
  postMessage(message: T, transfer: Transferable[]): void
  terminate?(): void
  close?(): void
}

export interface DeferredWorker<T> {
  /** Posts now if started; else keeps it for the start, and starts at once unless `mayWait(message)`. */
  post(message: T, transfer?: Transferable[]): void
  /** Starts the worker (once) and posts what was kept, in order. */
  start(): void
  started(): boolean
  /** Ends the worker if it started; a worker never started is not started any more. */
  terminate(): void
}

/**
 * A worker started when it is first needed: `create` runs on `start()`, or on the first message
 * `mayWait` does not let wait. Messages sent before are kept (with what they transfer) and posted
 * in the order sent. The workspace worker starts so after a list's first rows: its 337 KB compiled
 * and run, and its IndexedDB opened, took ~110 ms of CPU from a 2-core machine while the page
 * parsed its code and built the grid from the stored head (bench B1); the boot worker (index.html)
 * once the page wants more than the head it read itself.
 */
export function deferWorker<T>(create: () => WorkerLike<T>, mayWait: (message: T) => boolean): DeferredWorker<T> {
  let worker: WorkerLike<T> | null = null
  let ended = false
  const kept: [T, Transferable[]][] = []
  const start = () => {
    if (worker || ended) return
    worker = create()
    for (const [message, transfer] of kept.splice(0)) worker.postMessage(message, transfer)
  }
  return {
    post(message, transfer = []) {
      if (ended) return
      if (worker) return worker.postMessage(message, transfer)
      kept.push([message, transfer])
      if (!mayWait(message)) start()
    },
    start,
    started: () => worker !== null,
    terminate() {
      ended = true
      kept.length = 0
      if (worker?.terminate) worker.terminate()
      else worker?.close?.()
    },
  }
}
