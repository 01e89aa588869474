import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import type { RelayStorage } from '../storage/relayStorage'

/**
 * Writes the default workspace schema as the first update of the `schema` document, once:
 * only when that document has nothing stored. Returns whether it seeded.
 */
export function seedSchemaDocument(storage: RelayStorage, seed: (doc: Y.Doc) => void): boolean {
  if (storage.lastSeq(SCHEMA_DOC) !== 0) return false
  const doc = new Y.Doc()
  try {
    seed(doc)
    storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(doc))
  } finally {
    doc.destroy()
  }
  return true
}
