import type { ImportEvent, ImportFileKind, ImportPlanRequest } from './importJob'
import type { ImportCommand } from './workerProtocol'

/** One import on the page's side: its commands go to the workspace worker, its events come back to `onEvent`. */
export interface ImportHandle {
  plan(request: ImportPlanRequest): void
  run(): void
  cancel(): void
  /** Forgets the import in the worker (the dialog closed). */
  drop(): void
}

export interface ImportClient {
  /** Starts an import of `file`: the worker reads its header and first rows and answers with a `header` event. */
  start(file: Blob, kind: ImportFileKind, onEvent: (event: ImportEvent) => void): ImportHandle
}

/** The session's imports: numbered jobs whose events the worker sends back as `import` messages (see `take`). */
export function makeImportClient(send: (job: number, command: ImportCommand) => void): ImportClient & { take(job: number, event: ImportEvent): void } {
  const listeners = new Map<number, (event: ImportEvent) => void>()
  let next = 1
  return {
    start(file, kind, onEvent) {
      const job = next++
      listeners.set(job, onEvent)
      send(job, { op: 'read', file, kind })
      return {
        plan: (request) => send(job, { op: 'plan', request }),
        run: () => send(job, { op: 'run' }),
        cancel: () => send(job, { op: 'cancel' }),
        drop: () => {
          listeners.delete(job)
          send(job, { op: 'drop' })
        },
      }
    },
    take(job, event) {
      listeners.get(job)?.(event)
    },
  }
}
