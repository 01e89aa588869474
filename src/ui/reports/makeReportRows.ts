import { createSignal, type Accessor, type Setter } from 'solid-js'
import type { Row } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'

interface Opened {
  rows: Row[]
  stale: boolean
  version: Accessor<number>
  setVersion: Setter<number>
  ready: Accessor<boolean>
}

export interface ReportRows {
  /** The entity's live rows on this device; reading it in a reactive scope re-runs that scope on every change (a teammate's edit too). */
  rows(entityId: string): readonly Row[]
  /** False until every row of the entity is in (its snapshot parsed). */
  ready(entityId: string): boolean
  destroy(): void
}

/**
 * The rows reports run on: each list's store on this page (what the grid shows, kept current by
 * the workspace worker's patches), opened when a report first needs its entity — so reports work
 * offline and follow teammates' edits live, as makeSearchStore does for search. A patch only marks
 * the rows stale and bumps the entity's version; they are copied out of the store once per
 * version, when a report asks.
 */
export function makeReportRows(session: WorkspaceSession): ReportRows {
  const opened = new Map<string, Opened>()
  const stores = new Map<string, () => Row[]>()
  const stops: (() => void)[] = []
  let destroyed = false

  const open = (entityId: string): Opened => {
    let entry = opened.get(entityId)
    if (entry) return entry
    const [version, setVersion] = createSignal(0)
    const [ready, setReady] = createSignal(false)
    entry = { rows: [], stale: true, version, setVersion, ready }
    opened.set(entityId, entry)
    const e = entry
    void session.entity(entityId).then(async (store) => {
      if (destroyed) return
      store.loadRest?.()
      stops.push(store.subscribe(() => { e.stale = true; e.setVersion((v) => v + 1) }))
      await (store.complete ?? Promise.resolve())
      if (destroyed) return
      stores.set(entityId, () => store.rows())
      e.stale = true
      setReady(true)
      e.setVersion((v) => v + 1)
    }, (error: unknown) => console.error(`kanso: could not open ${entityId} for reports`, error))
    return entry
  }

  return {
    rows(entityId) {
      const e = open(entityId)
      e.version()
      const read = stores.get(entityId)
      if (e.stale && read) {
        e.rows = read()
        e.stale = false
      }
      return e.rows
    },
    ready: (entityId) => open(entityId).ready(),
    destroy() {
      destroyed = true
      for (const stop of stops) stop()
    },
  }
}
