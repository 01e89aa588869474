/**
 * Runs a server's compactions one after another. Rooms edited at the same pace reach their
 * row limit together; fifty merges and row rewrites at once would stall the event loop for
 * tens of milliseconds, one at a time they go unnoticed.
 */
export class CompactionQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task)
    this.tail = result.catch(() => {})
    return result
  }
}
