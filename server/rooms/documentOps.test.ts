import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffStep2, fromWire, inspectIncoming, mergeDocument, prepareDocument } from './documentOps'
import { unpackInspection } from './inspectUpdate'
import { MalformedMessageError } from './malformedMessageError'

function updatesOf(edit: (doc: Y.Doc) => void, count: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) edit(doc)
  return { doc, updates }
}

describe('documentOps', () => {
  it('merging drops the content of overwritten values, like a Y.Doc with gc', () => {
    let n = 0
    const { doc, updates } = updatesOf((d) => d.getMap('m').set('cell', `value ${n++} ${'x'.repeat(50)}`), 200)
    const { merged, stateVector } = mergeDocument(updates[0] as Uint8Array, updates.slice(1))
    expect(merged.byteLength).toBeLessThan(Y.mergeUpdates(updates).byteLength / 20)
    expect(stateVector).toEqual(Y.encodeStateVector(doc))
    const copy = new Y.Doc()
    Y.applyUpdate(copy, merged)
    expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('merging keeps updates that wait for a missing one', () => {
    let n = 0
    const { doc, updates } = updatesOf((d) => d.getMap('m').set(`k${n++}`, n), 3)
    const [first, second, third] = updates as [Uint8Array, Uint8Array, Uint8Array]
    const { merged } = mergeDocument(first, [third])
    const copy = new Y.Doc()
    Y.applyUpdate(copy, merged)
    expect(copy.getMap('m').has('k2')).toBe(false)
    Y.applyUpdate(copy, second)
    expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('prepares a stored log: base framed as sync step 2 with its state vector, tail rows inspected', () => {
    let n = 0
    const { doc, updates } = updatesOf((d) => d.getMap('m').set(`k${n++}`, n), 3)
    const prepared = prepareDocument(updates.map((update, i) => ({ seq: i + 1, update, stateVector: null })))
    expect(prepared.computedStateVector).toBe(true)
    const base = fromWire(prepared.base!.step2)
    expect(base.update).toEqual(updates[0])
    expect([...base.message.subarray(0, 2)]).toEqual([0, 1])
    expect(prepared.tail.map((t) => t.seq)).toEqual([2, 3])
    expect(unpackInspection(prepared.tail[1]!.inspection).structs.get(doc.clientID)).toEqual([[2, 3]])
    const diff = fromWire(diffStep2(updates[0] as Uint8Array, Y.encodeStateVector(doc)))
    expect(Y.parseUpdateMeta(diff.update).from.size).toBe(0)
  })

  it('frames a validated incoming update for forwarding, and refuses garbage', () => {
    const { updates } = updatesOf((d) => d.getMap('m').set('a', 1), 1)
    const { message } = inspectIncoming(updates[0] as Uint8Array)
    const decoder = decoding.createDecoder(message.message)
    expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([0, 2])
    expect(decoding.readVarUint8Array(decoder)).toEqual(updates[0])
    expect(() => inspectIncoming(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(MalformedMessageError)
  })
})
