import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { inspectDecoded, inspectUpdate, type DecodedUpdate } from './inspectUpdate'
import { MalformedMessageError } from './malformedMessageError'

describe('inspectUpdate', () => {
  it('summarizes a client edit: the new struct and the overwritten value deleted', () => {
    const doc = new Y.Doc()
    doc.clientID = 7
    const record = new Y.Map<string>()
    doc.getMap('records').set('r1', record)
    record.set('name', 'Ada')
    const before = Y.encodeStateVector(doc)
    let update: Uint8Array | null = null
    doc.on('update', (u: Uint8Array) => (update = u))
    record.set('name', 'Ada Lovelace')
    const inspection = inspectUpdate(update as unknown as Uint8Array)
    const clock = Y.decodeStateVector(before).get(7) as number
    expect([...inspection.structs]).toEqual([[7, [[clock, clock + 1]]]])
    expect([...inspection.deletes]).toEqual([[7, [[clock - 1, clock]]]])
  })

  it('merges a client’s touching structs and keeps gaps apart', () => {
    const doc = new Y.Doc()
    doc.clientID = 3
    const text = doc.getText('t')
    text.insert(0, 'abc')
    const other = new Y.Doc()
    other.clientID = 4
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    other.getText('t').insert(1, 'x')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    text.insert(4, 'de')
    const inspection = inspectUpdate(Y.encodeStateAsUpdate(doc))
    expect(inspection.structs.get(3)).toEqual([[0, 5]])
    expect(inspection.structs.get(4)).toEqual([[0, 1]])
    expect(inspection.deletes.size).toBe(0)
  })

  it('sorts and merges ranges that arrive out of order (updates are untrusted input)', () => {
    const decoded = {
      structs: [],
      ds: { clients: new Map([[5, [{ clock: 10, len: 2 }, { clock: 0, len: 3 }, { clock: 3, len: 1 }, { clock: 20, len: 0 }]]]) },
    } as unknown as DecodedUpdate
    expect([...inspectDecoded(decoded).deletes]).toEqual([[5, [[0, 4], [10, 12]]]])
  })

  it('refuses a struct with an impossible clock', () => {
    const decoded = { structs: [{ id: { client: 1, clock: Number.MAX_SAFE_INTEGER * 2 }, length: 1 }], ds: { clients: new Map() } } as unknown as DecodedUpdate
    expect(() => inspectDecoded(decoded)).toThrow(MalformedMessageError)
  })
})
