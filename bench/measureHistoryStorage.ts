// Storage growth of the record history (issue 15) per 10k edits, in the relay's SQLite file:
// the history table (entries and their index, read with SQLite's dbstat) and the stamps the
// edits carry in the documents ($edited@<field>), the latter against the same edits written
// without stamps, as stored updates and as the compacted document the relay keeps.
// Standalone: npx tsx bench/measureHistoryStorage.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { CompactRecordStore } from '../src/crdt/compactRecordStore'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { addEntity } from '../src/crdt/schemaDoc'
import { seededRandom } from '../src/domain/seededRandom'
import { createEntityLoader } from '../server/api/entityLoader'
import type { Member } from '../server/auth/member'
import { makeRecordHistoryFeed } from '../server/history/recordHistoryFeed'
import { silentLogger } from '../server/relayLogger'
import { createSqliteStorage } from '../server/storage/sqliteStorage'

export interface HistoryStorageResult {
  records: number
  edits: number
  /** Entries the edits added (one per edit). */
  entries: number
  /** Bytes of the record_history table and its index added by the edits, per 10k edits. */
  historyBytesPer10k: number
  /** Bytes of the edits' stored updates per 10k edits, as written (stamped) and the same edits without stamps. */
  updateBytesPer10k: { stamped: number; unstamped: number }
  /** The document compacted as the relay keeps it (a garbage-collecting Y.Doc's state) after the edits, stamped and not, and before them. */
  compactedBytes: { before: number; stamped: number; unstamped: number }
}

const MEMBER: Member = { id: 'bench', name: 'Bench', role: 'editor', createdAt: '' }
const ENTITY = 'firms'
const FIELDS = ['name', 'website', 'phone', 'city', 'notes'].map((key) => `${ENTITY}.${key}`)

function historyBytes(file: string): number {
  const db = new Database(file, { readonly: true })
  try {
    const row = db.prepare(`SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name IN ('record_history', 'record_history_by_record')`).get() as { bytes: number }
    return row.bytes
  } finally {
    db.close()
  }
}

function compacted(updates: readonly Uint8Array[]): number {
  const doc = new Y.Doc()
  doc.transact(() => { for (const u of updates) Y.applyUpdate(doc, u) })
  return Y.encodeStateAsUpdate(doc).byteLength
}

/** `records` records, then `edits` edits of one field of a random record each, as the app writes them (CompactRecordStore) and stored as the relay stores them. */
export async function measureHistoryStorage(opts: { records?: number; edits?: number } = {}): Promise<HistoryStorageResult> {
  const records = opts.records ?? 1000
  const edits = opts.edits ?? 10_000
  const dir = mkdtempSync(join(tmpdir(), 'kanso-bench-history-storage-'))
  const file = join(dir, 'relay.db')
  const storage = createSqliteStorage(file)
  const loader = createEntityLoader(silentLogger)
  try {
    const schema = new Y.Doc()
    addEntity(schema, { id: ENTITY, key: ENTITY, label: 'Firms', singular: 'Firm', primaryField: FIELDS[0]!, order: 0, fields: FIELDS.map((id, order) => ({ id, key: id.slice(ENTITY.length + 1), label: id, type: 'text', order })) }, 'bench')
    storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(schema))
    const feed = makeRecordHistoryFeed(storage, loader, silentLogger)
    const hooks = feed.hooks(undefined)
    const name = entityDocName(ENTITY)
    const store = (update: Uint8Array) => {
      const seq = storage.appendUpdate(name, update)
      hooks.afterStoreUpdate?.({ documentName: name, member: MEMBER, update, seq, origin: 'sync' })
    }
    const rnd = seededRandom(20)
    const app = new CompactRecordStore({ clientID: 7 })
    // the same edits without stamps, on a Y.Doc of the same client
    const plain = new Y.Doc()
    plain.clientID = 8
    const plainUpdates: Uint8Array[] = []
    const stampedUpdates: Uint8Array[] = []
    const ids: string[] = []
    const t0 = Date.parse('2026-06-01T09:00:00.000Z')
    for (let r = 0; r < records; r++) {
      const values = Object.fromEntries(FIELDS.map((f, k) => [f, `${f.slice(ENTITY.length + 1)} ${r} ${k}`]))
      const id = `rec${r}`
      const change = app.createRecord(values, { id, createdBy: MEMBER.id, now: new Date(t0 + r) })
      store(change.update)
      stampedUpdates.push(change.update)
      ids.push(id)
    }
    const createdState = app.encodeStateAsUpdate()
    Y.applyUpdate(plain, createdState)
    await feed.idle()
    const historyBefore = historyBytes(file)
    const entriesBefore = ids.reduce((n, id) => n + storage.readHistory(ENTITY, id, 1_000_000).length, 0)
    const before = compacted([createdState])
    let stampedBytes = 0
    let plainBytes = 0
    const onPlain = (u: Uint8Array) => { plainUpdates.push(u); plainBytes += u.byteLength }
    plain.on('update', onPlain)
    for (let i = 0; i < edits; i++) {
      const id = ids[rnd.int(0, records - 1)]!
      const field = FIELDS[rnd.int(0, FIELDS.length - 1)]!
      const value = `${field.slice(ENTITY.length + 1)} edit ${i}`
      const change = app.updateCells([{ recordId: id, fieldId: field, value }], new Date(t0 + records + i * 1000))
      stampedBytes += change.update.byteLength
      stampedUpdates.push(change.update)
      store(change.update)
      ;(plain.getMap('records').get(id) as Y.Map<unknown>).set(field, value)
    }
    plain.off('update', onPlain)
    await feed.idle()
    const entries = ids.reduce((n, id) => n + storage.readHistory(ENTITY, id, 1_000_000).length, 0) - entriesBefore
    storage.checkpoint()
    const per10k = (bytes: number) => (bytes / edits) * 10_000
    return {
      records, edits, entries,
      historyBytesPer10k: per10k(historyBytes(file) - historyBefore),
      updateBytesPer10k: { stamped: per10k(stampedBytes), unstamped: per10k(plainBytes) },
      compactedBytes: { before, stamped: compacted(stampedUpdates), unstamped: compacted([createdState, ...plainUpdates]) },
    }
  } finally {
    await loader.close()
    storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await measureHistoryStorage()
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`
  console.log(`${r.edits} edits of ${r.records} records: ${r.entries} history entries, record_history + index +${kb(r.historyBytesPer10k)} per 10k edits (${(r.historyBytesPer10k / 10_000).toFixed(0)} B per edit)`)
  console.log(`stored updates per 10k edits: ${kb(r.updateBytesPer10k.stamped)} stamped, ${kb(r.updateBytesPer10k.unstamped)} without stamps`)
  console.log(`compacted document: ${kb(r.compactedBytes.before)} before the edits; after them ${kb(r.compactedBytes.stamped)} stamped, ${kb(r.compactedBytes.unstamped)} without stamps`)
}
