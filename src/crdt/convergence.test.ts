import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FieldType } from '../domain/schema'
import { makeEntityStore, type EntityStore } from './entityStore'
import { readAllRows } from './recordDoc'
import { makeSchemaStore, type SchemaStore } from './schemaStore'
import { readSchema, seedDefaultSchema } from './schemaDoc'
import { seededRandom } from '../domain/seededRandom'

/*
 * Seeded random convergence: several clients create, edit, delete, restore, change fields and
 * undo while a simulated relay delivers their updates late, out of order, or not at all
 * (disconnects drop in-flight messages; reconnecting syncs state vectors like y-websocket).
 * Every client must end identical to the relay with no pending updates.
 *
 * A failing seed is printed in the test name; pin it in PINNED_SEEDS so it runs forever after.
 * Run one seed: KANSO_SEED=1234 npx vitest run src/crdt/convergence.test.ts
 */
const PINNED_SEEDS: number[] = []
const SEEDS_PER_RUN = 200
const CLIENTS = 6
const STEPS = 120

type DocKey = 'schema' | 'contacts'
interface Msg { doc: DocKey; update: Uint8Array }

interface Client {
  name: string
  docs: Record<DocKey, Y.Doc>
  store: EntityStore
  schema: SchemaStore
  online: boolean
  inbox: Msg[]
  outbox: Msg[]
}

function run(seed: number) {
  const rnd = seededRandom(seed).next
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined)
  const relay: Record<DocKey, Y.Doc> = { schema: new Y.Doc(), contacts: new Y.Doc() }
  seedDefaultSchema(relay.schema)
  const REMOTE = 'remote'
  let idCounter = 0

  const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => {
    const docs: Record<DocKey, Y.Doc> = { schema: new Y.Doc(), contacts: new Y.Doc() }
    const c: Client = {
      name: `c${i}`, docs,
      store: makeEntityStore(docs.contacts, 'contacts', `m${i}`),
      schema: makeSchemaStore(docs.schema),
      online: true, inbox: [], outbox: [],
    }
    for (const key of ['schema', 'contacts'] as DocKey[]) {
      docs[key].on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== REMOTE && c.online) c.outbox.push({ doc: key, update })
      })
    }
    return c
  })

  const resync = (c: Client) => {
    for (const key of ['schema', 'contacts'] as DocKey[]) {
      const toRelay = Y.encodeStateAsUpdate(c.docs[key], Y.encodeStateVector(relay[key]))
      const toClient = Y.encodeStateAsUpdate(relay[key], Y.encodeStateVector(c.docs[key]))
      applyAtRelay(c, { doc: key, update: toRelay })
      Y.applyUpdate(c.docs[key], toClient, REMOTE)
    }
  }
  const applyAtRelay = (from: Client, msg: Msg) => {
    Y.applyUpdate(relay[msg.doc], msg.update, REMOTE)
    for (const other of clients) if (other !== from && other.online) other.inbox.push(msg)
  }
  const takeRandom = (xs: Msg[]) => xs.splice(Math.floor(rnd() * xs.length), 1)[0]!

  // every client connects once first, like a first visit (the schema comes from the relay)
  for (const c of clients) resync(c)

  const fieldTypes: FieldType[] = ['text', 'number', 'email', 'checkbox']
  for (let step = 0; step < STEPS; step++) {
    const c = pick(clients)!
    const r = rnd()
    const liveIds = c.store.rows().map((row) => row.id)
    const allIds = readAllRows(c.docs.contacts).map((row) => row.id)
    const fields = c.schema.read().entities.find((e) => e.id === 'contacts')?.fields ?? []
    if (r < 0.15) {
      c.store.createRecord({ 'contacts.last_name': `n${step}` }, `r${seed}-${idCounter++}`)
    } else if (r < 0.45) {
      const id = pick(allIds); const f = pick(fields)
      if (id && f) c.store.updateCells([{ recordId: id, fieldId: f.id, value: rnd() < 0.1 ? null : `${c.name}-${step}` }])
    } else if (r < 0.5) {
      const id = pick(liveIds); if (id) c.store.deleteRecords([id])
    } else if (r < 0.54) {
      const deleted = allIds.filter((id) => !liveIds.includes(id))
      const id = pick(deleted); if (id) c.store.restoreRecords([id])
    } else if (r < 0.58) {
      try {
        c.schema.addField('contacts', { label: `F ${c.name} ${step}`, type: pick(fieldTypes)! })
      } catch { /* schema not synced yet on this client: nothing to add to */ }
    } else if (r < 0.61) {
      const f = pick(fields); if (f) c.schema.renameField('contacts', f.id, `${f.label}'`)
    } else if (r < 0.63) {
      const f = pick(fields); if (f) c.schema.removeField('contacts', f.id)
    } else if (r < 0.68) {
      c.store.history.undo()
    } else if (r < 0.7) {
      c.store.history.redo()
    } else if (r < 0.76) {
      c.online = !c.online
      if (c.online) resync(c)
      else {
        // in-flight messages are lost on disconnect; reconnecting syncs state vectors
        c.inbox.length = 0
        c.outbox.length = 0
      }
    } else {
      // deliver a few messages, in random order
      for (let n = Math.floor(rnd() * 6); n > 0; n--) {
        const withMail = clients.filter((x) => x.online && (x.inbox.length || x.outbox.length))
        const x = pick(withMail)
        if (!x) break
        if (x.outbox.length && (rnd() < 0.5 || !x.inbox.length)) applyAtRelay(x, takeRandom(x.outbox))
        else { const m = takeRandom(x.inbox); Y.applyUpdate(x.docs[m.doc], m.update, REMOTE) }
      }
    }
  }
  // heal: everyone reconnects, every message is delivered
  for (const c of clients) {
    if (!c.online) { c.online = true; resync(c) }
  }
  for (let busy = true; busy;) {
    busy = false
    for (const c of clients) {
      while (c.outbox.length) { applyAtRelay(c, takeRandom(c.outbox)); busy = true }
      while (c.inbox.length) { const m = takeRandom(c.inbox); Y.applyUpdate(c.docs[m.doc], m.update, REMOTE); busy = true }
    }
  }
  const expected = {
    rows: readAllRows(relay.contacts).sort((a, b) => a.id.localeCompare(b.id)),
    schema: readSchema(relay.schema),
  }
  for (const c of clients) {
    for (const key of ['schema', 'contacts'] as DocKey[]) {
      expect(c.docs[key].store.pendingStructs, `${c.name} ${key} pending structs`).toBeNull()
      expect(c.docs[key].store.pendingDs, `${c.name} ${key} pending deletes`).toBeNull()
    }
    expect({ rows: readAllRows(c.docs.contacts).sort((a, b) => a.id.localeCompare(b.id)), schema: readSchema(c.docs.schema) }, c.name).toEqual(expected)
  }
  return expected.rows.length
}

const envSeed = process.env.KANSO_SEED ? Number(process.env.KANSO_SEED) : undefined
const base = envSeed ?? Math.floor(Math.random() * 1e9)
const seeds = envSeed !== undefined ? [envSeed] : [...PINNED_SEEDS, ...Array.from({ length: SEEDS_PER_RUN }, (_, i) => base + i)]
console.log(`convergence: ${seeds.length} seeds starting at ${base} (rerun one with KANSO_SEED=<seed>)`)

describe('convergence across clients with disconnects and reordering', () => {
  it.each(seeds)('seed %i converges', (seed) => {
    run(seed)
  })
})
