import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readSchema } from '../../src/crdt/schemaDoc'
import { encodeAwarenessMessage } from '../../server/rooms/encodeServerMessage'
import { hashMemberToken } from '../../server/auth/memberToken'
import { parseAwarenessUpdate } from '../../server/rooms/parseClientMessage'
import { encodeAwarenessUpdate } from '../../server/rooms/roomAwareness'
import { ADMIN_TOKEN, makeTempDir, rawSocket, startTestRelay, waitFor, useTestScope, cell, setCell } from './relayTestKit'

const { cleanups, client } = useTestScope()

describe('sync through the relay', () => {
  it('two clients see each other’s Y.Map edits, both ways', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const b = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])

    setCell(a.doc, 'r1', 'from a')
    await waitFor(() => cell(b.doc, 'r1') === 'from a', 'b to see a’s edit')
    setCell(b.doc, 'r2', 'from b')
    await waitFor(() => cell(a.doc, 'r2') === 'from b', 'a to see b’s edit')
    expect(a.doc.getMap('records').toJSON()).toEqual(b.doc.getMap('records').toJSON())
  })

  it('keeps the data across a restart on the same data directory, compacted or not', async () => {
    const dataDir = makeTempDir()
    const first = await startTestRelay({ dataDir, sync: { compactAfterRows: 5 } })
    const a = client(first.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await a.synced
    for (let i = 0; i < 12; i++) setCell(a.doc, `d${i}`, { amount: i })
    a.doc.getMap('records').delete('d3')
    await waitFor(() => first.storage.loadDocument('entity-deals').length > 0 && first.storage.lastSeq('entity-deals') > 0, 'updates stored')
    await waitFor(() => {
      const stored = new Y.Doc()
      for (const u of first.storage.loadDocument('entity-deals')) Y.applyUpdate(stored, u)
      return stored.getMap('records').size === 11
    }, 'all edits stored')
    a.destroy()
    await first.close()

    const second = await startTestRelay({ dataDir })
    cleanups.push(() => second.close())
    const fresh = client(second.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await fresh.synced
    const records = fresh.doc.getMap('records').toJSON()
    expect(Object.keys(records).sort()).toEqual(['d0', 'd1', 'd10', 'd11', 'd2', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9'])
    expect(records.d7).toEqual({ v: { amount: 7 } })
    // compaction ran: the log is short
    expect(second.storage.loadDocument('entity-deals').length).toBeLessThanOrEqual(6)
  })

  it('seeds the schema document once and serves it', async () => {
    const dataDir = makeTempDir()
    const first = await startTestRelay({ dataDir })
    expect(first.seeded).toBe(true)
    await first.close()
    const second = await startTestRelay({ dataDir })
    cleanups.push(() => second.close())
    expect(second.seeded).toBe(false)
    expect(second.storage.loadDocument('schema')).toHaveLength(1)
    const c = client(second.syncUrl, 'schema', ADMIN_TOKEN)
    await c.synced
    expect(readSchema(c.doc).entities.map((e) => e.id)).toContain('contacts')
  })

  it('a client that reconnects with local history gets only what it lacks and converges', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, 'entity-leads', ADMIN_TOKEN)
    await a.synced
    setCell(a.doc, 'x', 1)
    const b = client(relay.syncUrl, 'entity-leads', ADMIN_TOKEN)
    await b.synced
    await waitFor(() => cell(b.doc, 'x') === 1, 'b has x')
    b.provider.disconnect()
    setCell(b.doc, 'offline', 'b')
    setCell(a.doc, 'online', 'a')
    b.provider.connect()
    await waitFor(() => cell(b.doc, 'online') === 'a' && cell(a.doc, 'offline') === 'b', 'convergence')
    expect(a.doc.getMap('records').toJSON()).toEqual(b.doc.getMap('records').toJSON())
  })

  it('forwards awareness, shows late joiners who is present, and announces who left', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await a.synced
    a.provider.awareness.setLocalStateField('view', 'contacts')
    const b = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await b.synced
    const aId = a.doc.clientID
    await waitFor(() => (b.provider.awareness.getStates().get(aId) as { view?: string } | undefined)?.view === 'contacts', 'b sees a')
    b.provider.awareness.setLocalStateField('view', 'deals')
    await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 'a sees b')
    // a's socket goes away without saying goodbye: the relay announces the removal
    ;(a.provider.ws as unknown as { terminate(): void } | null)?.terminate()
    a.provider.shouldConnect = false
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 'b to drop Ann')
  })

  it('echoes awareness to its sender too, so a client alone in a room still hears from the relay', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const raw = rawSocket(`${relay.syncUrl}/entity-contacts?token=${ADMIN_TOKEN}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    await waitFor(() => raw.messages.length > 0, 'greeting')
    const before = raw.messages.length
    raw.socket.send(encodeAwarenessMessage(encodeAwarenessUpdate([{ clientId: 42, clock: 1, state: '{"view":"solo"}' }])))
    await waitFor(() => raw.messages.length > before, 'the echo')
    // as the others get it: stamped with the sender's member
    const user = { id: relay.storage.findMemberByTokenHash(hashMemberToken(ADMIN_TOKEN))?.id, name: 'Admin', color: expect.any(String) }
    const echo = decoding.createDecoder(raw.messages.at(-1) as Uint8Array)
    expect(decoding.readVarUint(echo)).toBe(1)
    const entries = parseAwarenessUpdate(decoding.readVarUint8Array(echo)).map((e) => ({ ...e, state: JSON.parse(e.state) as unknown }))
    expect(entries).toEqual([{ clientId: 42, clock: 1, state: { view: 'solo', user } }])
  })
})
