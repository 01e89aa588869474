import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRange, coversRange, normalizeRanges } from './clockRanges'
import { inspectUpdate } from './inspectUpdate'
import { UpdateCoverage } from './updateCoverage'

function docWithClient(clientID: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  return doc
}

describe('clockRanges', () => {
  it('normalizes, adds and checks coverage', () => {
    expect(normalizeRanges([[5, 7], [0, 2], [2, 3], [6, 9], [4, 4]])).toEqual([[0, 3], [5, 9]])
    const ranges = normalizeRanges([[0, 3]])
    addRange(ranges, 5, 6)
    addRange(ranges, 3, 5)
    expect(ranges).toEqual([[0, 6]])
    expect(coversRange([[0, 3], [5, 9]], 1, 3)).toBe(true)
    expect(coversRange([[0, 3], [5, 9]], 2, 6)).toBe(false)
    expect(coversRange([[0, 3], [3, 9]], 2, 6)).toBe(true)
    expect(coversRange([], 4, 4)).toBe(true)
  })
})

describe('UpdateCoverage', () => {
  it('tracks the state vector like Yjs does, including updates that arrive after a gap', () => {
    const doc = docWithClient(7)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 3; i++) doc.getMap('m').set(`k${i}`, i)
    const [first, second, third] = updates as [Uint8Array, Uint8Array, Uint8Array]
    const coverage = new UpdateCoverage()
    coverage.add(inspectUpdate(first))
    coverage.add(inspectUpdate(third)) // beyond a gap
    expect(coverage.stateVector().get(7)).toBe(1)
    expect(coverage.addsSomething(inspectUpdate(third))).toBe(false)
    expect(coverage.addsSomething(inspectUpdate(second))).toBe(true)
    coverage.add(inspectUpdate(second))
    expect(coverage.stateVector().get(7)).toBe(3)
    expect(coverage.encodedStateVector()).toEqual(Y.encodeStateVector(doc))
    expect(coverage.encodedStateVector()).toEqual(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates)))
  })

  it('knows stored deletions, so a repeated delete set adds nothing', () => {
    const doc = docWithClient(3)
    const map = doc.getMap('m')
    map.set('a', 1)
    const coverage = new UpdateCoverage()
    coverage.add(inspectUpdate(Y.encodeStateAsUpdate(doc)))
    const sv = Y.encodeStateVector(doc)
    map.delete('a')
    const deletion = Y.encodeStateAsUpdate(doc, sv)
    expect(inspectUpdate(deletion).structs.size).toBe(0)
    expect(coverage.addsSomething(inspectUpdate(deletion))).toBe(true)
    coverage.add(inspectUpdate(deletion))
    // what a client answers to our sync step 1: no structs, its whole delete set
    expect(coverage.addsSomething(inspectUpdate(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))))).toBe(false)
  })

  it('starts from a state vector and under-reports rather than over-reports', () => {
    const doc = docWithClient(9)
    doc.getMap('m').set('a', 1)
    doc.getMap('m').set('b', 2)
    const coverage = new UpdateCoverage(Y.decodeStateVector(Y.encodeStateVector(doc)))
    expect(coverage.addsSomething(inspectUpdate(Y.encodeStateAsUpdate(doc)))).toBe(false)
    doc.getMap('m').set('c', 3)
    expect(coverage.addsSomething(inspectUpdate(Y.encodeStateAsUpdate(doc)))).toBe(true)
  })
})
