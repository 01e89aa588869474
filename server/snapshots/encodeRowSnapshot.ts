import * as Y from 'yjs'
import { readLiveRows } from '../../src/crdt/recordDoc'
import { rowsJson } from '../../src/domain/rowsJson'

/**
 * The live rows of an entity document, as the browser paints them before it has the document:
 * ASCII JSON bytes of `Row[]`, one row per line (rowsJson: the same format the browser keeps in
 * IndexedDB, which it parses a slice at a time).
 */
export function encodeRowSnapshot(updates: Uint8Array[], docName?: string): Uint8Array {
  // named after the document, so an entry outside the layout is warned about once per document
  const doc = new Y.Doc({ gc: true, guid: docName })
  try {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update)
    })
    return new TextEncoder().encode(rowsJson(readLiveRows(doc)))
  } finally {
    doc.destroy()
  }
}
