import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { encodeSyncStep1, encodeSyncUpdate } from '../../server/rooms/encodeServerMessage'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { createRecord, isPlainValue, readLiveRows, recordMapOf, recordsOf, updateCells } from '../../src/crdt/recordDoc'
import { readSchema } from '../../src/crdt/schemaDoc'
import { CONFLICT_KEY_PREFIX, isConflictMark } from '../../src/domain/history/historyEntry'
import type { Row } from '../../src/domain/schema'
import { seededRandom, type SeededRandom } from '../../src/domain/seededRandom'
import { CompactSyncedDoc } from '../../src/sync/compactSyncedDoc'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { ADMIN_TOKEN, connectClient, rawSocket, seedWithEntities, startTestRelay, useTestScope, waitFor, type RawSocket, type TestClient } from './relayTestKit'

/*
 * Issue 11: a few thousand random, truncated and layout-breaking updates against a real relay
 * (SQLite, port 0), interleaved with valid record edits, from raw `ws` sockets speaking the
 * protocol and from stock y-websocket clients, reconnecting after every close. The relay must
 * stay up and answer /healthz, another room must keep syncing, and afterwards the browser's
 * compact store and a Y.Doc both open the fuzzed document with plain, valid rows.
 * The seed is printed; KANSO_SEED=<seed> reruns a run.
 */

const SEED = process.env.KANSO_SEED ? Number(process.env.KANSO_SEED) : Math.floor(Math.random() * 2 ** 31)
const OPS = 2000
const LANES = 6
const DOC = 'entity-contacts'
const FIELDS = ['contacts.first_name', 'contacts.last_name', 'contacts.email', 'contacts.city']
const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id))

const { cleanups, client } = useTestScope()

/** A fork of `doc`'s state under a fresh client id: what it writes is diffed against `doc`. */
function forkUpdate(doc: Y.Doc, edit: (fork: Y.Doc) => void, clientID?: number): Uint8Array {
  const fork = new Y.Doc()
  if (clientID !== undefined) fork.clientID = clientID
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(fork)
  edit(fork)
  const update = Y.encodeStateAsUpdate(fork, before)
  fork.destroy()
  return update
}

function randomBytes(rand: SeededRandom, n: number): Uint8Array {
  const bytes = new Uint8Array(n)
  for (let k = 0; k < n; k++) bytes[k] = rand.int(0, 255)
  return bytes
}

function randomJson(rand: SeededRandom): unknown {
  return rand.pick<() => unknown>([
    () => rand.int(-1e6, 1e6),
    () => `s${rand.int(0, 1e6)}`,
    () => null,
    () => rand.next() < 0.5,
    () => ({ nested: rand.int(0, 9) }),
    () => [1, 'two'],
  ])()
}

/** Something a stock client can put where a record or a value goes, layout or not. */
function randomContent(rand: SeededRandom): unknown {
  return rand.pick<() => unknown>([
    () => `not a map ${rand.int(0, 99)}`,
    () => rand.int(0, 1000),
    () => new Y.Text('text'),
    () => Y.Array.from([1, 2, 3]),
    () => { const m = new Y.Map<unknown>(); m.set('deep', new Y.Map()); return m },
    () => new Uint8Array([1, 2, 3]),
    () => new Y.XmlFragment(),
  ])()
}

function liveIds(doc: Y.Doc): string[] {
  return readLiveRows(doc).map((r) => r.id)
}

/** Valid Yjs updates that break an entity document's layout somewhere. */
function layoutBreak(rand: SeededRandom, fork: Y.Doc, ids: string[]): void {
  const records = recordsOf(fork)
  const id = ids.length ? rand.pick(ids) : 'r0'
  const record = recordMapOf(records, id)
  switch (rand.int(0, 6)) {
    case 0: records.set(`x${rand.int(0, 50)}`, randomContent(rand) as never); break
    case 1: records.set(id, randomContent(rand) as never); break // an existing record replaced
    case 2: record?.set(rand.pick(FIELDS), randomContent(rand)); break
    case 3: record?.set(rand.pick(['$createdAt', '$deletedAt', '$createdBy']), rand.pick<unknown>([42, true, { a: 1 }, new Y.Text('x')])); break
    case 4: fork.getMap(`root${rand.int(0, 5)}`).set('k', randomJson(rand)); break
    case 5: fork.getText('notes').insert(0, 'hello'); break
    default: {
      const fresh = new Y.Map<unknown>()
      records.set(`n${rand.int(0, 1e6)}`, fresh)
      fresh.set(rand.pick(FIELDS), randomContent(rand))
    }
  }
}

/** A valid edit: a cell set, cleared or a record created, deleted or (rarely) removed outright. */
function validEdit(rand: SeededRandom, fork: Y.Doc, ids: string[]): void {
  const roll = rand.int(0, 9)
  if (roll === 0 || !ids.length) {
    createRecord(fork, { 'contacts.first_name': `New ${rand.int(0, 1e6)}` }, { createdBy: 'fuzz' }, null)
    return
  }
  const id = rand.pick(ids)
  if (!recordMapOf(recordsOf(fork), id)) return
  if (roll === 1) updateCells(fork, [{ recordId: id, fieldId: rand.pick(FIELDS), value: null }], null)
  else updateCells(fork, [{ recordId: id, fieldId: rand.pick(FIELDS), value: `v${rand.int(0, 1e6)}` }], null)
}

/** Random writes to the schema document: mostly outside its layout, on a test entity and unknown keys. */
function schemaWrite(rand: SeededRandom, fork: Y.Doc): void {
  const entities = fork.getMap<unknown>('entities')
  const fuzz = entities.get('fuzz')
  switch (rand.int(0, 4)) {
    case 0: entities.set(`e${rand.int(0, 20)}`, randomContent(rand)); break
    case 1: if (fuzz instanceof Y.Map) fuzz.set(rand.pick(['label', 'fields', 'order', `k${rand.int(0, 9)}`]), randomContent(rand)); break
    case 2: fork.getMap('workspace').set(`setting${rand.int(0, 5)}`, randomContent(rand)); break
    case 3: fork.getArray(`root${rand.int(0, 3)}`).push([randomJson(rand)]); break
    default: if (fuzz instanceof Y.Map) fuzz.set('label', randomJson(rand))
  }
}

/** One raw connection at a time per lane; a closed one is replaced before the next message. */
class RawLane {
  private raw: RawSocket | null = null
  private room = ''
  closes = 0

  constructor(private syncUrl: string) {}

  private async socket(room: string): Promise<RawSocket> {
    if (this.raw && this.room === room && this.raw.socket.readyState === WebSocket.OPEN) return this.raw
    if (this.raw) { this.closes++; this.raw.socket.terminate() }
    const raw = rawSocket(`${this.syncUrl}/${room}?token=${ADMIN_TOKEN}`)
    this.raw = raw
    this.room = room
    // the relay takes messages as soon as the socket is open (it holds them while the room loads)
    await raw.opened
    return raw
  }

  /** Sends `bytes`, then a sync step 1, and waits for its answer (a step 2) or the close the bytes earned. */
  async send(room: string, bytes: Uint8Array, stateVector: Uint8Array): Promise<void> {
    const raw = await this.socket(room)
    if (raw.socket.readyState !== WebSocket.OPEN) return
    const answered = new Promise<void>((resolve) => {
      const onMessage = (data: Buffer) => {
        if (data[0] === 0 && data[1] === 1) { raw.socket.off('message', onMessage); resolve() }
      }
      raw.socket.on('message', onMessage)
      void raw.closed.then(() => { raw.socket.off('message', onMessage); resolve() })
    })
    raw.socket.send(bytes)
    raw.socket.send(encodeSyncStep1(stateVector))
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([answered, new Promise<void>((resolve) => { timer = setTimeout(resolve, 3000) })])
    clearTimeout(timer)
  }

  close(): void {
    this.raw?.socket.terminate()
  }
}

/** A stock y-websocket client that syncs, makes one change and is dropped (a 44xx close stops its reconnecting). */
async function stockClientOnce(syncUrl: string, room: string, from: Y.Doc, change: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  const c = connectClient(syncUrl, room, ADMIN_TOKEN, doc)
  try {
    await c.synced
    change(doc)
    await new Promise((resolve) => setTimeout(resolve, 100))
  } finally {
    c.destroy()
  }
}

describe('relay fuzz (issue 11)', () => {
  it(`survives ${OPS} random, truncated and layout-breaking updates; other rooms keep syncing; the document still opens (seed ${SEED})`, async () => {
    console.log(`relayFuzz seed ${SEED} (rerun with KANSO_SEED=${SEED})`)
    const rand = seededRandom(SEED)
    const relay = await startTestRelay({ seedSchema: seedWithEntities('fuzz'), rateLimits: null })
    cleanups.push(() => relay.close())

    // the fuzzed room's own editor (its doc is what forks start from), and the schema as it is
    const editor = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    const schema = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await Promise.all([editor.synced, schema.synced])
    for (let k = 0; k < 20; k++) createRecord(editor.doc, { 'contacts.first_name': `Seed ${k}` }, { id: `r${k}`, createdBy: 'fuzz' }, null)

    // another room, synced throughout: every edit of one client reaches the other
    const dealsA = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    const dealsB = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await Promise.all([dealsA.synced, dealsB.synced])
    const deal = createRecord(dealsA.doc, { 'deals.title': 'Deal 0' }, { createdBy: 'fuzz' }, null)
    let fuzzing = true
    let otherRoomEdits = 0
    const otherRoom = (async () => {
      while (fuzzing) {
        const title = `Deal ${++otherRoomEdits}`
        updateCells(dealsA.doc, [{ recordId: deal, fieldId: 'deals.title', value: title }], null)
        await waitFor(() => readLiveRows(dealsB.doc)[0]?.values['deals.title'] === title, `edit ${otherRoomEdits} in the other room`, 10_000)
        const health = await fetch(`${relay.url}/healthz`)
        expect(health.status).toBe(200)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    })()

    const kinds = { random: 0, truncated: 0, layout: 0, schema: 0, valid: 0, editor: 0, stock: 0 }
    const lanes = Array.from({ length: LANES }, () => new RawLane(relay.syncUrl))
    let next = 0
    const plans = Array.from({ length: OPS }, () => rand.int(0, 99))
    const seeds = Array.from({ length: OPS }, () => rand.int(0, 2 ** 31))
    const runLane = async (lane: RawLane) => {
      while (next < OPS) {
        const op = next++
        const r = seededRandom(seeds[op]!)
        const roll = plans[op]!
        const ids = liveIds(editor.doc)
        const sv = Y.encodeStateVector(editor.doc)
        if (roll < 15) {
          kinds.random++
          const bytes = randomBytes(r, r.int(0, 80))
          // half of them framed as a sync update, so the bytes reach the Yjs decoder
          await lane.send(DOC, r.next() < 0.5 ? bytes : encodeSyncUpdate(bytes), sv)
        } else if (roll < 30) {
          kinds.truncated++
          const update = forkUpdate(editor.doc, (f) => validEdit(r, f, ids))
          const cut = update.subarray(0, r.int(0, Math.max(0, update.length - 1)))
          await lane.send(DOC, r.next() < 0.5 ? encodeSyncUpdate(cut) : encodeSyncUpdate(update).subarray(0, r.int(1, update.length + 2)), sv)
        } else if (roll < 60) {
          kinds.layout++
          await lane.send(DOC, encodeSyncUpdate(forkUpdate(editor.doc, (f) => layoutBreak(r, f, ids))), sv)
        } else if (roll < 70) {
          kinds.schema++
          await lane.send('schema', encodeSyncUpdate(forkUpdate(schema.doc, (f) => schemaWrite(r, f))), Y.encodeStateVector(schema.doc))
        } else if (roll < 85) {
          kinds.valid++
          await lane.send(DOC, encodeSyncUpdate(forkUpdate(editor.doc, (f) => validEdit(r, f, ids))), sv)
        } else if (roll < 97) {
          kinds.editor++
          validEdit(r, editor.doc, ids)
        } else {
          kinds.stock++
          const breaks = r.next() < 0.7
          await stockClientOnce(relay.syncUrl, DOC, editor.doc, (doc) => (breaks ? layoutBreak(r, doc, liveIds(doc)) : validEdit(r, doc, liveIds(doc))))
        }
      }
    }
    const started = Date.now()
    await Promise.all(lanes.map(runLane))
    fuzzing = false
    await otherRoom
    lanes.forEach((lane) => lane.close())
    console.log(`relayFuzz: ${OPS} ops in ${Date.now() - started} ms, ${JSON.stringify(kinds)}, ${lanes.reduce((n, l) => n + l.closes, 0)} reconnects, ${otherRoomEdits} edits in the other room`)
    expect(otherRoomEdits).toBeGreaterThan(1)
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200)

    // the editor never broke the layout, so it is still connected and in step with the relay
    const last = `final ${SEED}`
    updateCells(editor.doc, [{ recordId: liveIds(editor.doc)[0]!, fieldId: 'contacts.city', value: last }], null)
    const fresh = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await fresh.synced
    await waitFor(() => readLiveRows(fresh.doc).some((row) => row.values['contacts.city'] === last), 'the last edit at a fresh stock client')

    // what the relay stored opens in a Y.Doc and in the compact store alike, with plain records
    const stored = relay.storage.loadDocument(DOC)
    const doc = new Y.Doc()
    for (const u of stored) Y.applyUpdate(doc, u)
    // nothing outside the layout was stored: one root, a map per record, JSON values only
    expect([...doc.share.keys()]).toEqual(['records'])
    recordsOf(doc).forEach((record: unknown) => {
      expect(record).toBeInstanceOf(Y.Map)
      ;(record as Y.Map<unknown>).forEach((value) => expect(isPlainValue(value)).toBe(true))
    })
    const rows = byId(readLiveRows(doc))
    expect(rows.length).toBeGreaterThanOrEqual(1)
    for (const row of rows) {
      expect(typeof row.id).toBe('string')
      // a string, not always a date-time: the relay types an overwrite of an existing key only as
      // "a JSON value" (its index knows the keys of root-level items), so `$createdAt: 42` gets in
      expect(typeof row.createdAt).toBe('string')
      for (const [key, value] of Object.entries(row.values)) {
        expect(isPlainValue(value)).toBe(true)
        // the relay's own conflict marks (two clients set one cell apart) sit beside the fields
        if (key.startsWith(CONFLICT_KEY_PREFIX)) {
          expect(FIELDS).toContain(key.slice(CONFLICT_KEY_PREFIX.length))
          expect(isConflictMark(value)).toBe(true)
        } else expect(FIELDS).toContain(key)
      }
    }
    const compact = new CompactRecordStore()
    compact.load(stored)
    expect(byId(compact.rows())).toEqual(rows)
    expect(byId(readLiveRows(fresh.doc))).toEqual(rows)

    // the browser's worker: a compact store synced from the relay, applying a live edit
    const browser = new CompactSyncedDoc({
      name: DOC, syncUrl: relay.syncUrl, token: ADMIN_TOKEN, storePrefix: `kanso-fuzz-${SEED}-`, meta: openKeyValueStore(`kanso-fuzz-meta-${SEED}`),
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200,
    })
    cleanups.push(() => browser.destroy())
    await browser.whenSynced
    expect(byId(browser.store.rows())).toEqual(byId(readLiveRows(fresh.doc)))
    updateCells(fresh.doc, [{ recordId: rows[0]!.id, fieldId: 'contacts.email', value: 'after@fuzz.example' }], null)
    await waitFor(() => browser.store.row(rows[0]!.id)?.values['contacts.email'] === 'after@fuzz.example', 'a live edit in the compact store')

    // and the schema document still reads
    const freshSchema: TestClient = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await freshSchema.synced
    expect(readSchema(freshSchema.doc).entities.map((e) => e.id)).toEqual(expect.arrayContaining(['contacts', 'deals']))
  }, 120_000)
})
