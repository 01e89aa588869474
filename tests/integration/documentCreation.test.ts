import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_NOT_FOUND } from '../../server/closeCodes'
import type { RelayStorage } from '../../server/storage/relayStorage'
import { createSqliteStorage, SQLITE_FILE_NAME } from '../../server/storage/sqliteStorage'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { addEntity } from '../../src/crdt/schemaDoc'
import { join } from 'node:path'
import { makeTempDir, rawSocket, sleep, startTestRelay, testEntity, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

async function relayWithEditor(options: Parameters<typeof startTestRelay>[0] = {}) {
  const relay = await startTestRelay(options)
  cleanups.push(() => relay.close())
  const editor = createMember(relay.storage, { name: 'Eve', role: 'editor' }).token
  return { relay, editor }
}

function addRecord(doc: Y.Doc, id: string, field: string, value: string): void {
  const record = new Y.Map<unknown>()
  doc.getMap('records').set(id, record)
  record.set(field, value)
}

/** The stock client's status changes and the close events it saw. */
function watch(c: ReturnType<typeof client>) {
  const closes: Array<{ code: number; reason: string }> = []
  c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason })
  })
  return closes
}

describe('documents the relay creates', () => {
  it('an editor cannot create a document of an entity the schema does not have: 4404 naming it, the stock client stops, nothing is stored', async () => {
    const { relay, editor } = await relayWithEditor()
    const name = 'entity-made-up-1'
    const doc = new Y.Doc()
    addRecord(doc, 'r1', 'x', 'written before connecting')
    const c = client(relay.syncUrl, name, editor, doc)
    const closes = watch(c)
    await waitFor(() => closes.length > 0, 'the refusal', 10_000)
    expect(closes[0]).toEqual({ code: CLOSE_NOT_FOUND, reason: `not in the workspace schema: "${name}"` })
    await sleep(600) // the client's backoff here is ≤ 200 ms: it would have come back by now
    expect(closes).toHaveLength(1)
    expect(c.provider.wsconnected).toBe(false)

    // many at once, with updates sent right away: all refused, none stored
    const names = Array.from({ length: 40 }, (_, i) => `entity-random-${i}`)
    const sockets = names.map((n) => rawSocket(`${relay.syncUrl}/${n}?token=${editor}`))
    const closed = await Promise.all(sockets.map((s) => s.closed))
    expect(new Set(closed.map((x) => x.code))).toEqual(new Set([CLOSE_NOT_FOUND]))
    for (const n of [name, ...names]) expect(relay.storage.lastSeq(n), n).toBe(0)
    expect(relay.storage.listDocuments().filter((n) => n.startsWith('entity-') && !/^entity-(leads|contacts|companies|deals|products|activities)$/.test(n))).toEqual([])
    expect(relay.sync.openRooms()).toEqual([])
    expect(relay.logger.lines).toContain(`info refused connection of member ${createdId(relay.storage, 'Eve')}: no document "${name}" in the workspace schema`)

    // other names than `schema` and `entity-<id>` too
    const other = rawSocket(`${relay.syncUrl}/settings-elsewhere?token=${editor}`)
    expect((await other.closed).code).toBe(CLOSE_NOT_FOUND)
  })

  it('an entity added to the schema (live, by a stock client) can be opened, also by a client that connected to it a moment before the schema update arrived', async () => {
    const { relay, editor } = await relayWithEditor()
    const admin = client(relay.syncUrl, SCHEMA_DOC, editor)
    await admin.synced

    // connects first: the relay holds it while the schema has no such entity…
    const early = client(relay.syncUrl, 'entity-tickets', editor)
    addRecord(early.doc, 't1', 'tickets.name', 'Printer jam')
    await sleep(200)
    expect(early.provider.synced).toBe(false)
    // …and lets it in once the entity arrives
    addEntity(admin.doc, testEntity('tickets'), 'test')
    await early.synced
    const other = client(relay.syncUrl, 'entity-tickets', editor)
    await other.synced
    await waitFor(() => (other.doc.getMap('records').get('t1') as Y.Map<unknown> | undefined)?.get('tickets.name') === 'Printer jam', 'the record reaching another client')
    await waitFor(() => relay.storage.lastSeq('entity-tickets') > 0, 'the new entity stored')
  })

  it('opening known documents does not read the schema from storage each time', async () => {
    const file = join(makeTempDir(), SQLITE_FILE_NAME)
    const storage = createSqliteStorage(file, { autoCheckpoint: false })
    let schemaReads = 0
    const counted: RelayStorage = Object.assign(Object.create(storage) as RelayStorage, {
      loadDocument(name: string) {
        if (name === SCHEMA_DOC) schemaReads++
        return storage.loadDocument(name)
      },
    })
    const { relay, editor } = await relayWithEditor({ storage: counted })
    cleanups.push(() => storage.close())
    const atStart = schemaReads
    for (let i = 0; i < 10; i++) {
      const c = client(relay.syncUrl, i % 2 ? 'entity-contacts' : 'entity-deals', editor)
      await c.synced
      c.destroy()
    }
    expect(schemaReads - atStart).toBe(1)
  })
})

function createdId(storage: RelayStorage, name: string): string {
  const member = storage.listMembers().find((m) => m.name === name)
  if (!member) throw new Error(`no member ${name}`)
  return member.id
}
