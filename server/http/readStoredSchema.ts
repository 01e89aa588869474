import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { readSchema } from '../../src/crdt/schemaDoc'
import type { WorkspaceSchema } from '../../src/domain/schema'
import type { RelayStorage } from '../storage/relayStorage'

/** The workspace schema as stored (no entities when the schema document has no rows yet). */
export function readStoredSchema(storage: RelayStorage): WorkspaceSchema {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const update of storage.loadDocument(SCHEMA_DOC)) Y.applyUpdate(doc, update)
    })
    return readSchema(doc)
  } finally {
    doc.destroy()
  }
}
