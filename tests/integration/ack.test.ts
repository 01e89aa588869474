import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeSyncUpdate } from '../../server/rooms/encodeServerMessage'
import { ADMIN_TOKEN, connectClient, rawSocket, sleep, startTestRelay, waitFor, type TestClient, useTestScope, cell, setCell } from './relayTestKit'

const { cleanups } = useTestScope()

/** Sync step 1 messages (the relay's state vector) as they arrive at a y-websocket client. */
function recordStateVectors(c: TestClient): Array<Map<number, number>> {
  const vectors: Array<Map<number, number>> = []
  const handle = c.provider.messageHandlers[0]
  if (!handle) throw new Error('no sync handler')
  c.provider.messageHandlers[0] = (encoder, decoder, provider, emitSynced, type) => {
    const peek = decoding.clone(decoder)
    if (decoding.readVarUint(peek) === 0) vectors.push(Y.decodeStateVector(decoding.readVarUint8Array(peek)))
    handle(encoder, decoder, provider, emitSynced, type)
  }
  return vectors
}

describe('acknowledgement', () => {
  it('after storing a client’s edits, the relay sends it a sync step 1 that covers them', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const c = connectClient(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN, undefined, { acks: true })
    cleanups.push(() => c.destroy())
    const vectors = recordStateVectors(c)
    await c.synced
    const before = vectors.length
    expect(before).toBeGreaterThanOrEqual(1) // the greeting on connect
    for (let i = 0; i < 5; i++) setCell(c.doc, `r${i}`, i)
    const clock = Y.getState(c.doc.store, c.doc.clientID)
    await waitFor(() => vectors.slice(before).some((sv) => (sv.get(c.doc.clientID) ?? 0) >= clock), 'an ack covering the edits')
    // debounced: five quick edits, fewer acks
    await sleep(100)
    expect(vectors.length - before).toBeLessThan(5)
    // the client's reply (a sync step 2 with nothing new) is not stored, and causes no further ack
    const rows = relay.storage.loadDocument('entity-contacts').length
    const acks = vectors.length
    await sleep(150)
    expect(relay.storage.loadDocument('entity-contacts').length).toBe(rows)
    expect(vectors.length).toBe(acks)
  })

  it('a stock client that did not ask for acknowledgements (no acks=1) gets none: only the greeting', async () => {
    const relay = await startTestRelay({ sync: { ackDelayMs: 5, ackIntervalMs: 20 } })
    cleanups.push(() => relay.close())
    const c = connectClient(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    cleanups.push(() => c.destroy())
    const vectors = recordStateVectors(c)
    const watcher = connectClient(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    cleanups.push(() => watcher.destroy())
    await Promise.all([c.synced, watcher.synced])
    const greetings = vectors.length
    expect(greetings).toBeGreaterThanOrEqual(1)
    for (let i = 0; i < 5; i++) {
      setCell(c.doc, `r${i}`, i)
      await sleep(30)
    }
    // stored and forwarded as ever; with acks=1 this would have been acknowledged within ~25 ms
    await waitFor(() => cell(watcher.doc, 'r4') === 4, 'the edits forwarded')
    await sleep(150)
    expect(vectors.length).toBe(greetings)
  })

  it('a client editing without pause is acknowledged once per ackIntervalMs, the first time right away', async () => {
    const relay = await startTestRelay({ sync: { ackDelayMs: 20, ackIntervalMs: 250 } })
    cleanups.push(() => relay.close())
    const c = connectClient(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN, undefined, { acks: true })
    cleanups.push(() => c.destroy())
    const vectors = recordStateVectors(c)
    await c.synced
    const before = vectors.length
    const started = performance.now()
    setCell(c.doc, 'first', 0)
    await waitFor(() => vectors.length > before, 'the first ack')
    expect(performance.now() - started).toBeLessThan(200)
    for (let i = 0; i < 40; i++) {
      setCell(c.doc, `r${i}`, i)
      await sleep(20)
    }
    const clock = Y.getState(c.doc.store, c.doc.clientID)
    await waitFor(() => (vectors.at(-1)?.get(c.doc.clientID) ?? 0) >= clock, 'an ack covering every edit')
    // about 1 s of edits: the first ack plus one per 250 ms, not one per 20 ms debounce
    expect(vectors.length - before).toBeGreaterThanOrEqual(3)
    expect(vectors.length - before).toBeLessThanOrEqual(7)
  })

  it('a deletion the relay already stored is not stored again when a client replies with its delete set', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const c = connectClient(relay.syncUrl, 'entity-deals', ADMIN_TOKEN, undefined, { acks: true })
    cleanups.push(() => c.destroy())
    await c.synced
    const records = c.doc.getMap('records')
    setCell(c.doc, 'a', 1)
    setCell(c.doc, 'a', 2) // overwriting deletes the old value
    records.delete('a')
    await waitFor(() => relay.storage.loadDocument('entity-deals').length === 3, 'three stored updates')
    await sleep(150) // ack → the client answers with its whole delete set
    expect(relay.storage.loadDocument('entity-deals')).toHaveLength(3)
  })

  it('a raw update message is stored, forwarded as is, and acknowledged', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const watcher = connectClient(relay.syncUrl, 'entity-leads', ADMIN_TOKEN)
    cleanups.push(() => watcher.destroy())
    await watcher.synced
    const raw = rawSocket(`${relay.syncUrl}/entity-leads?token=${ADMIN_TOKEN}&acks=1`)
    cleanups.push(() => raw.socket.close())
    await raw.opened
    const doc = new Y.Doc()
    setCell(doc, 'x', 'raw')
    raw.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)))
    await waitFor(() => cell(watcher.doc, 'x') === 'raw', 'forwarded')
    const stateVectorIn = (message: Uint8Array) => {
      const decoder = decoding.createDecoder(message)
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 0) return null
      return Y.decodeStateVector(decoding.readVarUint8Array(decoder))
    }
    await waitFor(() => raw.messages.some((m) => stateVectorIn(m)?.get(doc.clientID) === 2), 'ack')
  })
})
