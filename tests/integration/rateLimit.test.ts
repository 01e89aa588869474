import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_RATE_LIMITED } from '../../server/closeCodes'
import { encodeSyncUpdate } from '../../server/rooms/encodeServerMessage'
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../../server/rooms/rateLimiter'
import { createRecord, readRow, updateCell } from '../../src/crdt/recordDoc'
import { ADMIN_TOKEN, rawSocket, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

const FIELD = 'contacts.first_name'
const DOC = 'entity-contacts'

/** Low limits so a test floods past them in a moment: 50 messages/s after 100 at once, closed after 1.5 s. */
const LOW: RateLimits = {
  ...DEFAULT_RATE_LIMITS,
  connection: { messages: { perSecond: 50, burst: 100 }, bytes: { perSecond: 64 * 1024, burst: 256 * 1024 } },
  graceMs: 1500,
}

/** `count` tiny updates of one record, each as its own transaction (as a client editing in a loop sends them). */
function tinyUpdates(count: number): { updates: Uint8Array[]; recordId: string } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const recordId = createRecord(doc, { [FIELD]: 'start' }, { createdBy: 'flooder' }, null)
  for (let i = 0; i < count; i++) updateCell(doc, recordId, FIELD, `v${i}`, null)
  doc.destroy()
  return { updates, recordId }
}

async function startRelayWithFlooder(rateLimits: RateLimits) {
  const relay = await startTestRelay({ rateLimits })
  cleanups.push(() => relay.close())
  const { token } = createMember(relay.storage, { name: 'Flooder', role: 'editor' })
  return { relay, token }
}

describe('rate limits', () => {
  it('a client flooding tiny updates is slowed, then closed with CLOSE_RATE_LIMITED; other documents keep syncing meanwhile', async () => {
    const { relay, token } = await startRelayWithFlooder(LOW)
    const a = client(relay.syncUrl, 'entity-companies', ADMIN_TOKEN)
    const b = client(relay.syncUrl, 'entity-companies', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])
    const company = createRecord(a.doc, { 'companies.name': 'Acme' }, { createdBy: 'admin' }, null)

    const { updates } = tinyUpdates(20_000)
    const flooder = rawSocket(`${relay.syncUrl}/${DOC}?token=${token}`)
    await flooder.opened
    for (const update of updates) flooder.socket.send(encodeSyncUpdate(update))

    let edits = 0
    let closedWith: { code: number; reason: string } | null = null
    void flooder.closed.then((closed) => (closedWith = closed))
    const deadline = Date.now() + 15_000
    while (!closedWith) {
      if (Date.now() > deadline) throw new Error('the flooder was never closed')
      updateCell(a.doc, company, 'companies.name', `Acme ${++edits}`, null)
      await waitFor(() => readRow(b.doc, company)?.values['companies.name'] === `Acme ${edits}` || closedWith !== null, `edit ${edits} to reach the other client during the flood`)
    }
    const closed = closedWith as { code: number; reason: string }
    expect(closed.code).toBe(CLOSE_RATE_LIMITED)
    expect(closed.reason).toMatch(/rate limited: over the rate limit for \d/)
    expect(edits).toBeGreaterThan(1)
    // Slowed: about the burst plus the rate over the grace period got through, not 20,000.
    const stored = relay.storage.lastSeq(DOC)
    expect(stored).toBeGreaterThan(100)
    expect(stored).toBeLessThan(1000)
    expect(relay.logger.lines.some((line) => line.includes(`with ${CLOSE_RATE_LIMITED}: over the rate limit`) && line.includes('Flooder'))).toBe(true)
    await waitFor(() => relay.sync.connectionCount() === 2, 'the flooder\'s connection to end')
  })

  it('a stock client closed for flooding reconnects and brings what it sent as one sync step 2', async () => {
    const { relay, token } = await startRelayWithFlooder(LOW)
    const flooder = client(relay.syncUrl, DOC, token)
    await flooder.synced
    const codes: number[] = []
    flooder.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    const recordId = createRecord(flooder.doc, { [FIELD]: 'start' }, { createdBy: 'flooder' }, null)
    for (let i = 0; i < 5000; i++) updateCell(flooder.doc, recordId, FIELD, `v${i}`, null)

    await waitFor(() => codes.includes(CLOSE_RATE_LIMITED), 'the flooder to be closed', 15_000)
    const fresh = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await waitFor(() => readRow(fresh.doc, recordId)?.values[FIELD] === 'v4999', 'a fresh client to get the flooder\'s last value', 15_000)
    expect(relay.storage.lastSeq(DOC)).toBeLessThan(1000)
  })

  it('a sync step 2 far above the byte burst is accepted whole, and its sender stays connected', async () => {
    const { relay, token } = await startRelayWithFlooder(LOW)
    // An offline backlog: 2 MB written before connecting, sent as one sync step 2 (over 4 × LOW's byte burst).
    const offline = new Y.Doc()
    const ids: string[] = []
    for (let i = 0; i < 500; i++) ids.push(createRecord(offline, { [FIELD]: `${i} ${'x'.repeat(4000)}` }, { createdBy: 'offline' }, null))
    expect(Y.encodeStateAsUpdate(offline).byteLength).toBeGreaterThan(4 * LOW.connection.bytes.burst)
    const sender = client(relay.syncUrl, DOC, token, offline)
    const codes: number[] = []
    sender.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    const reader = client(relay.syncUrl, DOC, ADMIN_TOKEN)
    await waitFor(() => ids.every((id) => readRow(reader.doc, id) !== undefined), 'the reader to get every record of the backlog', 15_000)
    // Then it goes on editing as usual, past the grace period.
    for (let i = 0; i < 4; i++) {
      updateCell(offline, ids[0] as string, FIELD, `after ${i}`, null)
      await waitFor(() => readRow(reader.doc, ids[0] as string)?.values[FIELD] === `after ${i}`, `edit ${i} after the backlog`)
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(codes).toEqual([])
  })
})
