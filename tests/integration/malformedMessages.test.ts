import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_MALFORMED, CLOSE_MESSAGE_TOO_BIG } from '../../server/closeCodes'
import { encodeSyncStep2, encodeSyncUpdate } from '../../server/rooms/encodeServerMessage'
import { ADMIN_TOKEN, rawSocket, startTestRelay, waitFor, useTestScope, cell, setCell } from './relayTestKit'

const { cleanups, client } = useTestScope()

function validUpdate(): Uint8Array {
  const doc = new Y.Doc()
  setCell(doc, 'k', 'v'.repeat(40))
  return Y.encodeStateAsUpdate(doc)
}

const frames = (...parts: Array<(e: encoding.Encoder) => void>) => {
  const encoder = encoding.createEncoder()
  for (const part of parts) part(encoder)
  return encoding.toUint8Array(encoder)
}

const MALFORMED: Array<[string, Uint8Array, RegExp]> = [
  ['random bytes', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0x42]), /unknown message type/],
  ['an unknown message type', new Uint8Array([7, 0, 0]), /unknown message type 7/],
  ['the auth message type, which clients never send', new Uint8Array([2, 0]), /unknown message type 2/],
  ['an unknown sync type', new Uint8Array([0, 9, 0]), /unknown sync message type 9/],
  ['a sync step 2 whose payload is cut short', encodeSyncStep2(validUpdate()).subarray(0, 20), /claims \d+ bytes/],
  ['an update whose length prefix is fine but whose bytes are garbage', encodeSyncUpdate(new Uint8Array([5, 200, 1, 7, 7])), /invalid Yjs update/],
  ['a Yjs update truncated inside', encodeSyncUpdate(validUpdate().subarray(0, 12)), /invalid Yjs update/],
  ['trailing bytes after a message', new Uint8Array([...encodeSyncUpdate(validUpdate()), 1, 2, 3]), /trailing bytes/],
  ['a bad state vector', frames((e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarUint8Array(e, new Uint8Array([3, 1]))), /state vector/],
  ['an awareness update that is not JSON', frames((e) => encoding.writeVarUint(e, 1), (e) => encoding.writeVarUint8Array(e, frames((a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarUint(a, 5), (a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarString(a, '{nope')))), /not JSON/],
  ['an empty message', new Uint8Array(0), /missing message type/],
]

describe('bad input on the websocket', () => {
  it.each(MALFORMED)('%s closes only that connection with 4400; other rooms and clients carry on', async (_label, bytes, reason) => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const b = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const elsewhere = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    const elsewhere2 = client(relay.syncUrl, 'entity-deals', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced, elsewhere.synced, elsewhere2.synced])

    const bad = rawSocket(`${relay.syncUrl}/entity-contacts?token=${ADMIN_TOKEN}`)
    await bad.opened
    bad.socket.send(bytes)
    const closed = await bad.closed
    expect(closed.code).toBe(CLOSE_MALFORMED)
    expect(closed.reason).toMatch(reason)
    const logLine = relay.logger.lines.find((line) => line.includes('malformed message'))
    expect(logLine).toMatch(/"entity-contacts"/)
    expect(logLine).toMatch(reason)

    setCell(a.doc, 'after', 1)
    setCell(elsewhere.doc, 'after', 2)
    await waitFor(() => cell(b.doc, 'after') === 1 && cell(elsewhere2.doc, 'after') === 2, 'others keep syncing')
    expect(relay.storage.loadDocument('entity-contacts').map((u) => Y.decodeUpdate(u))).toHaveLength(1)
  })

  it('an oversized message closes that connection with 1009; the relay and other clients carry on', async () => {
    const relay = await startTestRelay({ maxMessageBytes: 64 * 1024 })
    cleanups.push(() => relay.close())
    const a = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const b = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])

    const big = rawSocket(`${relay.syncUrl}/entity-contacts?token=${ADMIN_TOKEN}`)
    await big.opened
    const doc = new Y.Doc()
    setCell(doc, 'huge', 'x'.repeat(100 * 1024))
    big.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)))
    expect((await big.closed).code).toBe(CLOSE_MESSAGE_TOO_BIG)
    expect(relay.logger.lines.some((line) => /Max payload size exceeded/i.test(line))).toBe(true)

    setCell(a.doc, 'small', 'ok')
    await waitFor(() => cell(b.doc, 'small') === 'ok', 'others keep syncing')
    expect(b.doc.getMap('records').has('huge')).toBe(false)
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200)
  })
})
