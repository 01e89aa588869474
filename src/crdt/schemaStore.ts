import type * as Y from 'yjs'
import type { CountrySource, FieldDef, WorkspaceSchema } from '../domain/schema'
import type { NewField } from './schemaDoc'
import { addField, observeSchema, readSchema, removeField, renameField, restoreField, setDefaultCountry, setFieldOptions } from './schemaDoc'

/** Intent-level access to the workspace schema for one member. */
export interface SchemaStore {
  read(): WorkspaceSchema
  subscribe(listener: (schema: WorkspaceSchema) => void): () => void
  addField(entityId: string, spec: NewField): FieldDef
  renameField(entityId: string, fieldId: string, label: string): void
  removeField(entityId: string, fieldId: string): void
  restoreField(entityId: string, fieldId: string): void
  setFieldOptions(entityId: string, fieldId: string, options: string[]): void
  /** The workspace's country for phone numbers (null clears it); `source`: an admin's choice or a locale's guess. */
  setDefaultCountry(country: string | null, source: CountrySource): void
}

export function makeSchemaStore(doc: Y.Doc, origin: object = {}): SchemaStore {
  return {
    read: () => readSchema(doc),
    subscribe: (listener) => observeSchema(doc, listener),
    addField: (entityId, spec) => addField(doc, entityId, spec, origin),
    renameField: (entityId, fieldId, label) => renameField(doc, entityId, fieldId, label, origin),
    removeField: (entityId, fieldId) => removeField(doc, entityId, fieldId, origin),
    restoreField: (entityId, fieldId) => restoreField(doc, entityId, fieldId, origin),
    setFieldOptions: (entityId, fieldId, options) => setFieldOptions(doc, entityId, fieldId, options, origin),
    setDefaultCountry: (country, source) => setDefaultCountry(doc, country, source, origin),
  }
}
