import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { addMissingDefaultEntities, addMissingDefaultFields, addMissingPipelines, addNewDefaultOptions, setDefaultCountry } from '../../src/crdt/schemaDoc'
import type { RelayStorage } from '../storage/relayStorage'
import { relayCountry } from '../relayCountry'

/**
 * Writes the default workspace schema as the first update of the `schema` document, once:
 * only when that document has nothing stored. Returns whether it seeded. The workspace's country
 * starts as the relay's locale's, marked as the relay's guess: the first admin's browser knows
 * the team's country better and replaces it (firstStartCountry), and until then forms and API
 * writes on the relay have a country for phone numbers.
 */
export function seedSchemaDocument(storage: RelayStorage, seed: (doc: Y.Doc) => void, country = relayCountry()): boolean {
  if (storage.lastSeq(SCHEMA_DOC) !== 0) return false
  const doc = new Y.Doc()
  try {
    seed(doc)
    if (country) setDefaultCountry(doc, country, 'relay', 'seed')
    storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(doc))
  } finally {
    doc.destroy()
  }
  return true
}

/**
 * Brings a stored workspace up to the default entities and fields of this version (e.g. the
 * `deal_lines` entity, the leads' UTM fields and referring page), through src/crdt like any edit,
 * so the change merges with what clients hold offline. Runs at start, before any connection (so
 * the relay lets members open a new entity's document); returns the ids of the entities and
 * fields added.
 */
export function addDefaultFieldsToStoredSchema(storage: RelayStorage): string[] {
  if (storage.lastSeq(SCHEMA_DOC) === 0) return []
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const update of storage.loadDocument(SCHEMA_DOC)) Y.applyUpdate(doc, update)
    })
    const before = Y.encodeStateVector(doc)
    const entities = addMissingDefaultEntities(doc, 'migration')
    const fields = addMissingDefaultFields(doc, 'migration')
    // a workspace from before pipelines gets "Sales" made from its stage options (issue 14)
    addMissingPipelines(doc, 'migration')
    // options a default field gained since (the activities' outcome `connected`, issue 16)
    const options = addNewDefaultOptions(doc, 'migration')
    const added = [...entities.map((e) => e.id), ...fields.map((f) => f.id), ...options]
    if (!sameVector(before, Y.encodeStateVector(doc))) storage.appendUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(doc, before))
    return added
  } finally {
    doc.destroy()
  }
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
