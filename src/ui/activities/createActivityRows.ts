import { createMemo, createSignal, onCleanup } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { activityFieldsOf, type ActivityFields } from '../../domain/activities/activityFields'
import type { Row, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'

/** The activities' entity id (fixed in every workspace: defaultSchema). */
export const ACTIVITIES = 'activities'

export interface ActivityRows {
  /** Starts reading them (once): My work at once, the reminders after a list's first rows. */
  load(): void
  /** The activities' store once every row is in (this device's copy: works offline). */
  store(): EntityStore | undefined
  fields(): ActivityFields | undefined
  /** Every activity; read again after each patch (a teammate's change, this member's own). */
  rows(): readonly Row[]
}

/**
 * The workspace's activities as reactive rows, for My work and the reminders: read from the
 * session's local store, so both work offline, and kept current by its patches.
 */
export function createActivityRows(session: WorkspaceSession, schema: () => WorkspaceSchema | null): ActivityRows {
  const [store, setStore] = createSignal<EntityStore>()
  const [version, setVersion] = createSignal(0)
  let disposed = false
  let stop: (() => void) | undefined
  onCleanup(() => { disposed = true; stop?.() })
  let started = false
  const load = () => {
    if (started) return
    started = true
    void session.entity(ACTIVITIES).then(async (s) => {
      s.loadRest?.()
      await s.complete
      if (disposed) return
      setStore(s)
      stop = s.subscribe(() => setVersion((n) => n + 1))
    }, (error: unknown) => console.warn('Kanso: could not open the activities', error))
  }
  const fields = createMemo(() => {
    const entity = schema()?.entities.find((e) => e.id === ACTIVITIES)
    return entity ? activityFieldsOf(entity) : undefined
  })
  return {
    load,
    store,
    fields,
    rows: () => { version(); return store()?.rows() ?? [] },
  }
}
