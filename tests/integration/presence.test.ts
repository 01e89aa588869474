import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_MALFORMED } from '../../server/closeCodes'
import { encodeAwarenessMessage } from '../../server/rooms/encodeServerMessage'
import { MAX_AWARENESS_STATE_BYTES, type AwarenessEntry } from '../../server/rooms/parseClientMessage'
import { encodeAwarenessUpdate } from '../../server/rooms/roomAwareness'
import { memberColor } from '../../src/domain/memberColor'
import { makePresence } from '../../src/sync/presence'
import { ADMIN_TOKEN, rawSocket, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'

const { cleanups, client } = useTestScope()

const stateOf = (c: TestClient, clientId: number) => c.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined
const awarenessMessage = (entries: AwarenessEntry[]) => encodeAwarenessMessage(encodeAwarenessUpdate(entries))

async function relayWithMembers() {
  const relay = await startTestRelay()
  cleanups.push(() => relay.close())
  const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
  const eve = createMember(relay.storage, { name: 'Eve', role: 'editor' })
  const vic = createMember(relay.storage, { name: 'Vic', role: 'viewer' })
  return { relay, ann, eve, vic }
}

/** Ann present on the schema document, and an admin who watches. */
async function annAndWatcher(syncUrl: string, ann: ReturnType<typeof createMember>) {
  const a = client(syncUrl, 'schema', ann.token)
  const watcher = client(syncUrl, 'schema', ADMIN_TOKEN)
  await Promise.all([a.synced, watcher.synced])
  makePresence(a.provider.awareness, ann.member).setView('contacts')
  await waitFor(() => stateOf(watcher, a.doc.clientID)?.view === 'contacts', 'the watcher sees Ann')
  return { a, watcher }
}

describe('presence through the relay', () => {
  it('shows each client’s view and cell to the others, named by its member', async () => {
    const { relay, ann } = await relayWithMembers()
    const a = client(relay.syncUrl, 'schema', ann.token)
    const b = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])
    const annPresence = makePresence(a.provider.awareness, ann.member)
    const adminPresence = makePresence(b.provider.awareness, { id: 'ignored', name: 'Whoever' })
    annPresence.setView('contacts')
    annPresence.setCell({ entityId: 'contacts', rowId: 'r1', fieldId: 'f1' })
    await waitFor(() => adminPresence.peers().some((p) => p.cell?.rowId === 'r1'), 'the admin sees Ann’s cell')
    expect(adminPresence.peers()).toEqual([
      { clientId: a.doc.clientID, user: { id: ann.member.id, name: 'Ann', color: memberColor(ann.member.id) }, view: 'contacts', cell: { entityId: 'contacts', rowId: 'r1', fieldId: 'f1' } },
    ])
    adminPresence.setView('deals')
    await waitFor(() => annPresence.peers().some((p) => p.view === 'deals'), 'Ann sees the admin')
    expect(annPresence.peers()[0]?.user.name).toBe('Admin')
    a.destroy()
    await waitFor(() => adminPresence.peers().length === 0, 'the admin sees Ann leave')
  })

  it.each(['editor', 'viewer'] as const)('an %s’s claimed name and colour are replaced by its member’s', async (role) => {
    const { relay, ann, eve, vic } = await relayWithMembers()
    const { watcher } = await annAndWatcher(relay.syncUrl, ann)
    const forger = role === 'editor' ? eve : vic
    const f = client(relay.syncUrl, 'schema', forger.token)
    await f.synced
    f.provider.awareness.setLocalState({ user: { id: 'someone-else', name: 'Admin', color: 'url(http://evil/)' }, view: 'contacts' })
    await waitFor(() => stateOf(watcher, f.doc.clientID)?.view === 'contacts', `the watcher sees the ${role}`)
    expect(stateOf(watcher, f.doc.clientID)?.user).toEqual({ id: forger.member.id, name: forger.member.name, color: memberColor(forger.member.id) })
  })

  it('a forged entry for another client’s id changes nothing the others see, from a stock client or a first message', async () => {
    const { relay, ann, vic } = await relayWithMembers()
    const { a, watcher } = await annAndWatcher(relay.syncUrl, ann)
    const annId = a.doc.clientID
    const annState = stateOf(watcher, annId)
    const forged = JSON.stringify({ user: { id: ann.member.id, name: 'Ann (forged)', color: '#000000' }, view: 'forged' })

    // a viewer's stock client, present itself, sends entries for Ann's client: a newer state, then a removal
    const v = client(relay.syncUrl, 'schema', vic.token)
    await v.synced
    v.provider.awareness.setLocalStateField('view', 'deals')
    await waitFor(() => stateOf(watcher, v.doc.clientID)?.view === 'deals', 'the watcher sees the viewer')
    v.provider.ws?.send(awarenessMessage([{ clientId: annId, clock: 1000, state: forged }]))
    v.provider.ws?.send(awarenessMessage([{ clientId: annId, clock: 1001, state: 'null' }]))
    // messages are handled in order: once this arrives, the forged ones were handled
    v.provider.awareness.setLocalStateField('view', 'after')
    await waitFor(() => stateOf(watcher, v.doc.clientID)?.view === 'after', 'the viewer’s next state')

    // a bare socket whose very first message names Ann's client
    const raw = rawSocket(`${relay.syncUrl}/schema?token=${vic.token}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    raw.socket.send(awarenessMessage([{ clientId: annId, clock: 2000, state: forged }, { clientId: 4242, clock: 1, state: '{"view":"raw"}' }]))
    raw.socket.send(awarenessMessage([{ clientId: 4243, clock: 1, state: '{"view":"raw"}' }]))
    await waitFor(() => stateOf(watcher, 4243)?.view === 'raw', 'the bare socket’s own state')

    expect(stateOf(watcher, annId)).toEqual(annState)
    expect(stateOf(watcher, 4242)).toBeUndefined()
    const newcomer = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await newcomer.synced
    await waitFor(() => stateOf(newcomer, 4243) !== undefined, 'the newcomer hears who is present')
    expect(stateOf(newcomer, annId)).toEqual(annState)
  })

  it('a message with 200,000 entries closes its sender with 4400, and nobody receives any of it', async () => {
    const { relay, ann, eve } = await relayWithMembers()
    const { a, watcher } = await annAndWatcher(relay.syncUrl, ann)
    const raw = rawSocket(`${relay.syncUrl}/schema?token=${eve.token}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    const state = JSON.stringify({ user: { name: 'x'.repeat(30) } })
    raw.socket.send(awarenessMessage(Array.from({ length: 200_000 }, (_, i) => ({ clientId: 1_000_000 + i, clock: 1, state }))))
    const closed = await raw.closed
    expect(closed.code).toBe(CLOSE_MALFORMED)
    expect(closed.reason).toMatch(/200000 entries/)

    const newcomer = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    await newcomer.synced
    await waitFor(() => stateOf(newcomer, a.doc.clientID) !== undefined, 'the newcomer sees Ann')
    expect([...newcomer.provider.awareness.getStates().keys()].sort()).toEqual([a.doc.clientID, newcomer.doc.clientID].sort())
    expect(watcher.provider.awareness.getStates().size).toBeLessThanOrEqual(3)
  })

  it('a state over the size limit closes its sender with 4400', async () => {
    const { relay, eve } = await relayWithMembers()
    const raw = rawSocket(`${relay.syncUrl}/schema?token=${eve.token}`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    raw.socket.send(awarenessMessage([{ clientId: 7, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(MAX_AWARENESS_STATE_BYTES) }) }]))
    const closed = await raw.closed
    expect(closed.code).toBe(CLOSE_MALFORMED)
    expect(closed.reason).toMatch(/awareness state/)
  })
})
