import { AUTOMATION_DOC, entityDocName, SCHEMA_DOC } from '../../src/crdt/docNames'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { schemaFieldTypesOf, type SchemaFieldTypes } from './layout/schemaFieldTypes'

export interface KnownDocumentsOptions {
  storage: RelayStorage
  logger: RelayLogger
  /**
   * How long a connection to an entity the schema does not have yet waits for a schema update
   * that adds it (default 3000 ms): a browser back online sends a new entity's schema entry and
   * opens its document at the same moment, over two sockets.
   */
  waitMs?: number
}

const ENTITY_PREFIX = entityDocName('')

/**
 * Which documents may be opened, and so created: `schema`, `automation`, and `entity-<id>` for the entities
 * of the stored schema — any other name would let a member fill the database with documents
 * nobody can see (an editor created 1,675 in 26 s). The entities come from the schema cache the
 * layout checks keep (SchemaFieldTypes: read once, again after the schema document stored
 * something), so opening a known document never touches storage. A name it lacks makes us look
 * again only when the schema document's last seq moved since the last miss (a write the cache
 * has not heard of, e.g. by another process), so unknown names cost a read per schema change at
 * most, however many there are.
 */
export class KnownDocuments {
  private readonly waitMs: number
  private readonly entities: SchemaFieldTypes
  private missedAtSeq = -1
  private readonly waiting = new Set<() => void>()

  constructor(private readonly options: KnownDocumentsOptions) {
    this.waitMs = options.waitMs ?? 3000
    this.entities = schemaFieldTypesOf(options.storage, options.logger)
  }

  /** Whether `name` may be opened; an entity the schema lacks is waited for, up to `waitMs`. */
  allows(name: string): Promise<boolean> {
    if (this.known(name)) return Promise.resolve(true)
    if (!name.startsWith(ENTITY_PREFIX)) return Promise.resolve(false)
    return new Promise((resolve) => {
      const done = (allowed: boolean) => {
        clearTimeout(timer)
        this.waiting.delete(look)
        resolve(allowed)
      }
      const look = () => {
        if (this.known(name)) done(true)
      }
      const timer = setTimeout(() => done(false), this.waitMs)
      this.waiting.add(look)
    })
  }

  /** An update of the schema document was stored: connections waiting for an entity look again. */
  schemaChanged(): void {
    for (const look of [...this.waiting]) look()
  }

  private known(name: string): boolean {
    if (name === SCHEMA_DOC || name === AUTOMATION_DOC) return true
    if (!name.startsWith(ENTITY_PREFIX)) return false
    const entityId = name.slice(ENTITY_PREFIX.length)
    if (this.entities.hasEntity(entityId)) return true
    const seq = this.options.storage.lastSeq(SCHEMA_DOC)
    if (seq === this.missedAtSeq) return false
    this.missedAtSeq = seq
    this.entities.invalidate()
    return this.entities.hasEntity(entityId)
  }
}
