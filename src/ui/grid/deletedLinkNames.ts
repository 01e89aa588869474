import type { EntityStore } from '../../crdt/entityStore'
import type { Row } from '../../domain/schema'

/** Names of deleted records of one linked entity, for link cells: "(deleted) Acme GmbH". */
export interface DeletedLinkNames {
  /** The deleted record's name; null while its store is being asked; undefined: not a deleted record. */
  name(id: string): string | null | undefined
  /** The record changed (live again, or just deleted): ask again when a cell next shows it. */
  forget(id: string): void
}

/**
 * Asks the linked entity's store, lazily, only for the ids link cells meet and the live rows
 * lack, so opening a list does no work for deleted records. The ids met while cells are drawn
 * go as one question; `changed` redraws the link cells once the answer is in.
 */
export function makeDeletedLinkNames(store: Pick<EntityStore, 'deletedRows'>, title: (row: Row) => string, changed: () => void): DeletedLinkNames {
  const names = new Map<string, string>()
  /** Ids asked about (answered or not): those answered and not named are unknown records. */
  const asked = new Set<string>()
  const unanswered = new Set<string>()
  let queued: string[] = []
  const ask = () => {
    const ids = queued
    queued = []
    const answered = (rows: Row[]) => {
      for (const r of rows) if (asked.has(r.id)) names.set(r.id, title(r))
      for (const id of ids) unanswered.delete(id)
      changed()
    }
    store.deletedRows(ids).then(answered, (err: unknown) => {
      console.error('kanso: could not read the names of deleted records', err)
      answered([])
    })
  }
  return {
    name(id) {
      const known = names.get(id)
      if (known !== undefined) return known
      if (unanswered.has(id)) return null
      if (asked.has(id)) return undefined
      asked.add(id)
      unanswered.add(id)
      if (queued.push(id) === 1) queueMicrotask(ask)
      return null
    },
    forget(id) {
      names.delete(id)
      asked.delete(id)
      unanswered.delete(id)
    },
  }
}
