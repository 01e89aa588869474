// The relay's time-based rules thread (see timedRulesPass.ts): keeps its own copies of the
// entity documents the time-based rules read (loaded from rows the relay posts, kept current by
// every update stored afterwards) and answers a pass with the firings due and not yet kept in
// rule_firings, so a pass over 100k records never runs on the relay's event loop.
import Database from 'better-sqlite3'
import { parentPort } from 'node:worker_threads'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { entityDocName } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import { activitiesEntity } from '../../src/domain/rules/ruleFields'
import { dueTimedFirings, type TimedFiring } from '../../src/domain/rules/timedRules'
import type { WorkspaceSchema } from '../../src/domain/schema'
import { lastActivityIndex } from './lastActivityIndex'

export type TimedRulesRequest =
  /** From now on this document's copy is kept: its stored rows, then every later stored update. */
  | { kind: 'hold'; name: string; updates: Uint8Array[] }
  | { kind: 'apply'; name: string; updates: Uint8Array[] }
  | { kind: 'pass'; id: number; rules: Rule[]; schema: WorkspaceSchema; now: number; timeZone: string; file: string | null }
  | { kind: 'close' }

export type TimedRulesReply =
  | { id: number; ok: true; firings: TimedFiring[]; ms: number; rows: number }
  | { id: number; ok: false; error: string }

const port = parentPort
if (!port) throw new Error('timedRulesWorker.ts runs as a worker thread')

const copies = new Map<string, CompactRecordStore>()
let db: Database.Database | null = null
let dbFile: string | null = null

/** Leaves out the firings rule_firings holds: the relay checks the few left again before it writes. */
function notFired(file: string | null, firings: TimedFiring[]): TimedFiring[] {
  if (!file || firings.length === 0) return firings
  if (!db || dbFile !== file) {
    db?.close()
    db = new Database(file, { readonly: true, fileMustExist: true })
    dbFile = file
  }
  const fired = db.prepare<[string, string, string], { one: number }>('SELECT 1 AS one FROM rule_firings WHERE rule_id = ? AND record_id = ? AND trigger_key = ?')
  return firings.filter((f) => fired.get(f.ruleId, f.recordId, f.triggerKey) === undefined)
}

port.on('message', (msg: TimedRulesRequest) => {
  switch (msg.kind) {
    case 'hold': {
      const store = new CompactRecordStore({ name: msg.name })
      store.load(msg.updates)
      copies.set(msg.name, store)
      return
    }
    case 'apply': {
      const store = copies.get(msg.name)
      // applying an update the copy has already changes nothing
      if (store) for (const update of msg.updates) store.applyUpdate(update)
      return
    }
    case 'pass': {
      try {
        const started = performance.now()
        const rowsOf = (entityId: string) => copies.get(entityDocName(entityId))?.rows() ?? []
        const activities = activitiesEntity(msg.schema)
        const activityRows = activities ? rowsOf(activities.id) : []
        const lastActivityAt = lastActivityIndex(msg.schema, activityRows)
        let rows = activityRows.length
        const counted = (entityId: string) => {
          const list = rowsOf(entityId)
          rows += list.length
          return list
        }
        const due = dueTimedFirings(msg.rules, counted, lastActivityAt, new Date(msg.now), msg.timeZone, msg.schema)
        const firings = notFired(msg.file, due)
        port.postMessage({ id: msg.id, ok: true, firings, ms: performance.now() - started, rows } satisfies TimedRulesReply)
      } catch (error) {
        port.postMessage({ id: msg.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies TimedRulesReply)
      }
      return
    }
    case 'close':
      db?.close()
      port.close()
  }
})
