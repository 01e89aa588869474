import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ADMIN_TOKEN, connectClient, seedWithEntities, startTestRelay, waitFor, useTestScope, setCell } from './relayTestKit'

const { cleanups, client } = useTestScope()

async function editAndLeave(syncUrl: string, name: string, edits: number, storedRows: () => number): Promise<Record<string, unknown>> {
  const c = connectClient(syncUrl, name, ADMIN_TOKEN)
  await c.synced
  for (let i = 0; i < edits; i++) setCell(c.doc, `${name}-${i}`, i)
  await waitFor(() => storedRows() >= edits, `${edits} edits of ${name} stored`)
  const content = c.doc.getMap('records').toJSON()
  c.destroy()
  return content
}

describe('room cache', () => {
  it('over its memory budget, evicts idle rooms at once (compacting their log, state vector kept) and keeps rooms in use', async () => {
    const relay = await startTestRelay({ sync: { roomCacheBytes: 1, roomIdleMs: 60_000 } })
    cleanups.push(() => relay.close())
    const busy = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await busy.synced
    setCell(busy.doc, 'd', 1)

    const content = await editAndLeave(relay.syncUrl, 'entity-contacts', 6, () => relay.storage.loadRows('entity-contacts').length)
    await waitFor(() => !relay.sync.openRooms().includes('entity-contacts'), 'the idle room evicted')
    expect(relay.sync.openRooms()).toContain('entity-deals')
    await waitFor(() => relay.storage.loadRows('entity-contacts').length === 1, 'its log compacted')
    const [row] = relay.storage.loadRows('entity-contacts')
    expect(row?.stateVector).toEqual(Y.encodeStateVectorFromUpdate(row?.update as Uint8Array))

    // back from storage, whole
    const again = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await again.synced
    expect(again.doc.getMap('records').toJSON()).toEqual(content)
    expect(relay.sync.openRooms()).toContain('entity-contacts')
  })

  it('within its budget, keeps idle rooms until roomIdleMs, then evicts them', async () => {
    const relay = await startTestRelay({ sync: { roomIdleMs: 300 } })
    cleanups.push(() => relay.close())
    await editAndLeave(relay.syncUrl, 'entity-leads', 3, () => relay.storage.loadRows('entity-leads').length)
    expect(relay.sync.openRooms()).toContain('entity-leads')
    expect(relay.sync.cachedBytes()).toBeGreaterThan(0)
    await waitFor(() => !relay.sync.openRooms().includes('entity-leads'), 'evicted after the idle time')
    await waitFor(() => relay.storage.loadRows('entity-leads').length === 1, 'compacted on eviction')
  })

  it('evicts the least recently used idle room first', async () => {
    const relay = await startTestRelay({ seedSchema: seedWithEntities('a', 'b', 'c'), sync: { roomIdleMs: 60_000 } })
    cleanups.push(() => relay.close())
    await editAndLeave(relay.syncUrl, 'entity-a', 3, () => relay.storage.loadRows('entity-a').length)
    await editAndLeave(relay.syncUrl, 'entity-b', 3, () => relay.storage.loadRows('entity-b').length)
    const sizeOf = (name: string) => relay.sync.room(name)?.memoryBytes() ?? 0
    // room for the newer idle room only: the older one goes
    relay.sync.setRoomCacheBytes(sizeOf('entity-b') + 1)
    await waitFor(() => !relay.sync.openRooms().includes('entity-a'), 'the older idle room evicted')
    expect(relay.sync.openRooms()).toContain('entity-b')
    // a room in use stays whatever the budget; loading it makes the idle one go
    const c = client(relay.syncUrl, 'entity-c', ADMIN_TOKEN)
    await c.synced
    setCell(c.doc, 'c', 'x'.repeat(sizeOf('entity-b') * 2))
    await waitFor(() => !relay.sync.openRooms().includes('entity-b'), 'the idle room evicted for the one in use')
    expect(relay.sync.openRooms()).toEqual(['entity-c'])
  })
})
