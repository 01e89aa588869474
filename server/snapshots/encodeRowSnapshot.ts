import * as Y from 'yjs'
import { readLiveRows } from '../../src/crdt/recordDoc'
import { asciiJson } from '../../src/domain/asciiJson'

/**
 * The live rows of an entity document, as the browser paints them before it has the document:
 * ASCII JSON bytes of `Row[]` (the same format the browser keeps in IndexedDB).
 */
export function encodeRowSnapshot(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update)
    })
    return new TextEncoder().encode(asciiJson(readLiveRows(doc)))
  } finally {
    doc.destroy()
  }
}
