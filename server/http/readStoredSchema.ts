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

const cached = new WeakMap<RelayStorage, { seq: number; schema: WorkspaceSchema }>()

/**
 * readStoredSchema, decoded again only when the schema document has a new stored update (its
 * last seq; a compaction keeps it): per API request the decode cost ~1 ms of the event loop.
 * The answer is shared between callers: read it, never change it.
 */
export function cachedStoredSchema(storage: RelayStorage): WorkspaceSchema {
  const seq = storage.lastSeq(SCHEMA_DOC)
  const hit = cached.get(storage)
  if (hit && hit.seq === seq) return hit.schema
  const schema = readStoredSchema(storage)
  cached.set(storage, { seq, schema })
  return schema
}
