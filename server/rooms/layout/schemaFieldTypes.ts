import type { FieldType } from '../../../src/domain/schema'
import { readStoredSchema } from '../../http/readStoredSchema'
import type { RelayLogger } from '../../relayLogger'
import type { RelayStorage } from '../../storage/relayStorage'

const NO_FIELDS: ReadonlyMap<string, FieldType> = new Map()

/**
 * The field types of every entity, read from the stored schema document when first asked and
 * again after the schema document stored something (rooms call `invalidate`). One per storage.
 */
export class SchemaFieldTypes {
  private byEntity: Map<string, Map<string, FieldType>> | null = null

  constructor(private readonly storage: RelayStorage, private readonly logger: RelayLogger) {}

  /** The same map until the schema is read again (the layout guard keeps its rules while it is). */
  of(entityId: string): ReadonlyMap<string, FieldType> {
    return this.read().get(entityId) ?? NO_FIELDS
  }

  /** Whether the stored schema has this entity (which documents may be opened: KnownDocuments). */
  hasEntity(entityId: string): boolean {
    return this.read().has(entityId)
  }

  private read(): Map<string, Map<string, FieldType>> {
    if (!this.byEntity) {
      this.byEntity = new Map()
      try {
        for (const entity of readStoredSchema(this.storage).entities) {
          this.byEntity.set(entity.id, new Map(entity.fields.map((field) => [field.id, field.type])))
        }
      } catch (error) {
        // Without the schema only `$` keys and custom-field-shaped ids pass: stricter, never looser.
        this.logger.error(`reading the schema for layout checks failed: ${(error as Error).message}`)
      }
    }
    return this.byEntity
  }

  invalidate(): void {
    this.byEntity = null
  }
}

const perStorage = new WeakMap<RelayStorage, SchemaFieldTypes>()

export function schemaFieldTypesOf(storage: RelayStorage, logger: RelayLogger): SchemaFieldTypes {
  let types = perStorage.get(storage)
  if (!types) perStorage.set(storage, (types = new SchemaFieldTypes(storage, logger)))
  return types
}
