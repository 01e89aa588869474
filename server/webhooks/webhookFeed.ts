import { createHash, randomBytes } from 'node:crypto'
import { CompactRecordStore } from '../../src/crdt/compactRecordStore'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { encodeApiRecord } from '../../src/domain/api/apiRecordCodec'
import type { EntityDef, Row, WorkspaceSchema } from '../../src/domain/schema'
import { recordEvents } from '../../src/domain/webhooks/webhookEvents'
import type { Member } from '../auth/member'
import { readStoredSchema } from '../http/readStoredSchema'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import type { NewDelivery, StoredWebhookSubscription, WebhookCursor, WebhookQueue } from './webhookQueue'

const ENTITY_DOC_PREFIX = 'entity-'

/** An entity document as the stored log says it is, and each record's row as last seen. */
interface StoredCopy {
  store: CompactRecordStore
  rows: Map<string, Row>
}

export interface WebhookFeedDeps {
  storage: RelayStorage
  queue: WebhookQueue
  logger: RelayLogger
  /** The subscriptions now (kept in memory by the caller). */
  subscriptions(): readonly StoredWebhookSubscription[]
  /** Deliveries were queued. */
  queued(): void
}

/**
 * Turns stored updates of entity documents into queued deliveries. It keeps its own copy of each
 * entity document, fed only by stored updates (the API's copies run ahead of storage while a
 * write is made), diffs every touched record's row before and after the update, and writes the
 * deliveries together with the document's cursor (its seq) in one transaction, right after the
 * update was stored. A relay killed between the two re-reads, when it starts, the stored updates
 * after each cursor (`recover`): deterministic diffs of the same rows, so nothing is lost and
 * nothing queued twice; those deliveries name no member (who sent an update is not stored).
 */
export class WebhookFeed {
  private readonly copies = new Map<string, StoredCopy>()
  private schema: WorkspaceSchema | null = null
  /** Seqs read past the saved cursors (updates that queued nothing), saved with the next batch or by `saveCursors`. */
  private readonly unsaved = new Map<string, number>()

  constructor(private readonly deps: WebhookFeedDeps) {}

  /** A stored update of any document (afterStoreUpdate). */
  stored(documentName: string, update: Uint8Array, seq: number, member: Member | null): void {
    if (documentName === SCHEMA_DOC) {
      this.schema = null
      return
    }
    if (!documentName.startsWith(ENTITY_DOC_PREFIX)) return
    const subscriptions = this.deps.subscriptions()
    if (subscriptions.length === 0) return
    this.schema ??= readStoredSchema(this.deps.storage)
    const entityId = documentName.slice(ENTITY_DOC_PREFIX.length)
    const entity = this.schema.entities.find((e) => e.id === entityId)
    const listening = entity ? subscriptions.filter((s) => s.entity === null || s.entity === entity.key) : []
    if (!entity || listening.length === 0) {
      // nobody listens: no copy to keep current (loaded again, before this seq, when someone does)
      this.copies.delete(documentName)
      this.unsaved.set(documentName, seq)
      return
    }
    const copy = this.copies.get(documentName) ?? this.load(documentName, seq)
    if (!copy) {
      this.unsaved.set(documentName, seq)
      return
    }
    const patch = copy.store.applyUpdate(update)
    const occurredAt = new Date()
    const deliveries: NewDelivery[] = []
    for (const id of new Set([...patch.added.map((r) => r.id), ...patch.updated.map((r) => r.id), ...patch.removed])) {
      const before = copy.rows.get(id)
      const after = copy.store.row(id)
      if (after) copy.rows.set(id, after)
      for (const change of recordEvents(entity, before, after)) {
        const row = after ?? before
        if (!row) continue
        const body = deliveryBody(entity, row, change, { documentName, seq, occurredAt, member })
        for (const subscription of listening) {
          if (!subscription.events.includes(change.event)) continue
          deliveries.push({ id: `whd_${randomBytes(12).toString('base64url')}`, subscriptionId: subscription.id, event: change.event, body, createdAt: occurredAt.getTime() })
        }
      }
    }
    if (deliveries.length === 0) {
      this.unsaved.set(documentName, seq)
      return
    }
    this.unsaved.delete(documentName)
    this.deps.queue.enqueue(deliveries, [{ doc: documentName, seq }, ...this.takeUnsaved()])
    this.deps.queued()
  }

  /**
   * After a restart: the stored updates past each entity document's cursor are diffed again
   * (a relay killed between storing an update and queueing its deliveries). Returns how many
   * updates were read.
   */
  recover(): number {
    if (this.deps.subscriptions().length === 0) return 0
    const cursors = new Map(this.deps.queue.cursors().map((c) => [c.doc, c.seq]))
    let read = 0
    for (const name of this.deps.storage.listDocuments()) {
      if (!name.startsWith(ENTITY_DOC_PREFIX)) continue
      const cursor = cursors.get(name) ?? 0
      if (this.deps.storage.lastSeq(name) <= cursor) continue
      const rows = this.deps.storage.loadRows(name)
      for (const [index, row] of rows.entries()) {
        if (row.seq <= cursor) continue
        if (index === 0 && cursor > 0) {
          // a compaction merged updates past the cursor into the first row: they cannot be told apart
          this.deps.logger.warn(`webhooks: "${name}" was compacted past its cursor ${cursor}; changes up to seq ${row.seq} fire no webhooks`)
          this.unsaved.set(name, row.seq)
          continue
        }
        this.stored(name, row.update, row.seq, null)
        read++
      }
    }
    this.saveCursors()
    return read
  }

  /** Where every entity document's log ends now: a new subscription's events start there. */
  currentCursors(): WebhookCursor[] {
    return this.deps.storage.listDocuments().filter((name) => name.startsWith(ENTITY_DOC_PREFIX)).map((doc) => ({ doc, seq: this.deps.storage.lastSeq(doc) }))
  }

  /** Saves the cursors of updates that queued nothing (now and then, and when the relay closes). */
  saveCursors(): void {
    const cursors = this.takeUnsaved()
    if (cursors.length > 0) this.deps.queue.setCursors(cursors)
  }

  /** Subscriptions changed: copies nobody listens to are dropped, cursors start over when none is left. */
  subscriptionsChanged(): void {
    if (this.deps.subscriptions().length === 0) {
      this.copies.clear()
      this.unsaved.clear()
    }
  }

  private takeUnsaved(): WebhookCursor[] {
    const cursors = [...this.unsaved].map(([doc, seq]) => ({ doc, seq }))
    this.unsaved.clear()
    return cursors
  }

  /** The document as stored before `seq`; null when a compaction merged `seq` in already. */
  private load(documentName: string, seq: number): StoredCopy | null {
    const rows = this.deps.storage.loadRows(documentName)
    const before = rows.filter((row) => row.seq < seq)
    if (before.length === 0 && rows.length > 0 && rows[0]!.seq > seq) {
      this.deps.logger.warn(`webhooks: "${documentName}" was compacted past seq ${seq}; that update fires no webhooks`)
      return null
    }
    const store = new CompactRecordStore({ name: documentName })
    store.load(before.map((row) => row.update))
    const copy: StoredCopy = { store, rows: new Map(store.allRows().map((row) => [row.id, row])) }
    this.copies.set(documentName, copy)
    return copy
  }
}

interface DeliveryContext { documentName: string; seq: number; occurredAt: Date; member: Member | null }

/**
 * The JSON every subscriber of the event gets: the event's id (the same for every subscription
 * and for a redelivery, so a receiver can drop repeats), the record as the API shows it, the
 * changed fields by API key and the member who made the change.
 */
function deliveryBody(entity: EntityDef, row: Row, change: ReturnType<typeof recordEvents>[number], context: DeliveryContext): string {
  const id = createHash('sha256').update(`${context.documentName}\n${context.seq}\n${change.recordId}\n${change.event}`).digest('hex').slice(0, 32)
  const occurredAt = context.occurredAt.toISOString()
  return JSON.stringify({
    id: `evt_${id}`,
    event: change.event,
    occurred_at: occurredAt,
    entity: entity.key,
    record: encodeApiRecord(entity, row, occurredAt),
    changes: change.changes,
    member: context.member ? { id: context.member.id, name: context.member.name } : null,
  })
}
