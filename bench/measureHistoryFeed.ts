// The record history feed's own CPU time per stored entity update (server/history), without
// sockets: updates stored in SQLite and handed to the feed's afterStoreUpdate hook as the relay
// does, then derived. Two loads: B9's (stock clients overwriting one field of a record that was
// never created: no entries) and the app's (stamped edits of created records: one entry each).
// For A/B runs of the feed on a shared machine, where B9's throughput swings ±2× between runs.
// Standalone: npx tsx bench/measureHistoryFeed.ts [b9|app]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { addEntity } from '../src/crdt/schemaDoc'
import { createEntityLoader } from '../server/api/entityLoader'
import type { Member } from '../server/auth/member'
import { makeRecordHistoryFeed } from '../server/history/recordHistoryFeed'
import { silentLogger } from '../server/relayLogger'
import { createSqliteStorage } from '../server/storage/sqliteStorage'

export interface HistoryFeedResult {
  /** CPU µs per stored update, the hook alone (what the relay pays before forwarding it); min and median of the reps. */
  hook: { min: number; median: number }
  /** CPU µs per stored update, hook plus derivation and storing the entries; min and median of the reps. */
  total: { min: number; median: number }
  entriesPerUpdate: number
}

const MEMBER: Member = { id: 'bench', name: 'Bench', role: 'editor', createdAt: '' }

/** `docs` documents with `recordsPerDoc` records each, `updates` edits round robin, `reps` times. */
export async function measureHistoryFeed(load: 'b9' | 'app', opts: { docs?: number; recordsPerDoc?: number; updates?: number; reps?: number } = {}): Promise<HistoryFeedResult> {
  const docs = opts.docs ?? 50
  const recordsPerDoc = opts.recordsPerDoc ?? 3
  const updates = opts.updates ?? 20_000
  const reps = opts.reps ?? 5
  const dir = mkdtempSync(join(tmpdir(), 'kanso-bench-history-'))
  const storage = createSqliteStorage(join(dir, 'relay.db'))
  const loader = createEntityLoader(silentLogger)
  try {
    const entities = Array.from({ length: docs }, (_, i) => `load-${i}`)
    const schema = new Y.Doc()
    entities.forEach((id, order) => addEntity(schema, { id, key: id.replace(/-/g, '_'), label: id, singular: id, primaryField: `${id}.name`, order, fields: [{ id: `${id}.name`, key: 'name', label: 'Name', type: 'text', order: 0 }] }, 'bench'))
    storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(schema))
    const feed = makeRecordHistoryFeed(storage, loader, silentLogger)
    const hooks = feed.hooks(undefined)
    const store = (documentName: string, update: Uint8Array) => {
      const seq = storage.appendUpdate(documentName, update)
      hooks.afterStoreUpdate?.({ documentName, member: MEMBER, update, seq, origin: 'sync' })
    }
    // one writer per record, as B9's clients: a Y.Doc per document, its updates stored in turn
    const writers = entities.map((entityId) => {
      const doc = new Y.Doc()
      const out: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => out.push(u))
      const field = `${entityId}.name`
      const records = Array.from({ length: recordsPerDoc }, (_, r) => {
        const map = new Y.Map<unknown>()
        doc.transact(() => {
          doc.getMap('records').set(`c${r}`, map)
          if (load === 'app') {
            map.set('$createdAt', new Date().toISOString())
            map.set('$createdBy', MEMBER.id)
          }
        })
        return map
      })
      return { name: entityDocName(entityId), doc, out, field, records }
    })
    for (const w of writers) for (const u of w.out.splice(0)) store(w.name, u)
    await feed.idle()
    let edit = 0
    const editOnce = () => {
      const w = writers[edit % docs]!
      const map = w.records[Math.floor(edit / docs) % recordsPerDoc]!
      edit++
      w.doc.transact(() => {
        if (load === 'app') map.set(`$edited@${w.field}`, new Date().toISOString())
        map.set(w.field, `${edit} ${performance.now()}`)
      })
      return w
    }
    // warm-up: every copy loaded, the JIT settled
    for (let i = 0; i < 2000; i++) {
      const w = editOnce()
      store(w.name, w.out.pop()!)
    }
    await feed.idle()
    const hook: number[] = []
    const total: number[] = []
    const entriesBefore = countEntries(storage, entities, recordsPerDoc)
    for (let r = 0; r < reps; r++) {
      const made = Array.from({ length: updates }, () => {
        const w = editOnce()
        return { name: w.name, update: w.out.pop()! }
      })
      const seqs = made.map((m) => storage.appendUpdate(m.name, m.update))
      const started = process.cpuUsage()
      for (let k = 0; k < made.length; k++) hooks.afterStoreUpdate?.({ documentName: made[k]!.name, member: MEMBER, update: made[k]!.update, seq: seqs[k]!, origin: 'sync' })
      const hooked = process.cpuUsage(started)
      await feed.idle()
      const used = process.cpuUsage(started)
      hook.push((hooked.user + hooked.system) / updates)
      total.push((used.user + used.system) / updates)
    }
    const entries = countEntries(storage, entities, recordsPerDoc) - entriesBefore
    return { hook: minMedian(hook), total: minMedian(total), entriesPerUpdate: entries / (updates * reps) }
  } finally {
    await loader.close()
    storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function countEntries(storage: ReturnType<typeof createSqliteStorage>, entities: string[], recordsPerDoc: number): number {
  let n = 0
  for (const entityId of entities) for (let r = 0; r < recordsPerDoc; r++) n += storage.readHistory(entityId, `c${r}`, 1_000_000).length
  return n
}

function minMedian(values: number[]): { min: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b)
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.argv[2]
  for (const load of (['b9', 'app'] as const).filter((l) => only === undefined || l === only)) {
    const r = await measureHistoryFeed(load)
    console.log(`history feed, ${load} load, CPU µs per stored update: hook ${r.hook.min.toFixed(2)} (median ${r.hook.median.toFixed(2)}); hook + derive + store ${r.total.min.toFixed(1)} (median ${r.total.median.toFixed(1)}); ${r.entriesPerUpdate.toFixed(2)} entries per update`)
  }
}
