import { entityDocName, SCHEMA_DOC } from '../../src/crdt/docNames'
import { DOCUMENT_ISSUE_KEY, documentYear, pendingDocumentsOf, type DocumentNumber } from '../../src/domain/deals/dealDocuments'
import { findEntity, type FieldValue, type Row, type WorkspaceSchema } from '../../src/domain/schema'
import type { EntityStores } from '../api/entityStores'
import type { Member } from '../auth/member'
import { readStoredSchema } from '../http/readStoredSchema'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { makeSerialChecks } from './serialChecks'

const DEALS = 'deals'
const ISSUE_PREFIX = Buffer.from('document@')

/** The relay's own writes of document numbers carry this author. */
export const DOCUMENT_NUMBERS_MEMBER: Member = { id: 'relay:document-numbers', name: 'Document numbers', role: 'editor', createdAt: '' }

export interface DocumentNumberFollower {
  /** The relay's hooks with this one around them: a stored update of the deals that may issue a document schedules a check. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  /** The sync server its writes go through (made after the hooks). */
  start(sync: SyncServer): void
  /** Resolves once no check is pending or running (tests, shutdown). */
  idle(): Promise<void>
}

/** The `number@<issue id>` entry the relay writes for one issued document. */
export function numberEntry(issueId: string, number: string, now: Date): { fieldId: string; value: FieldValue } {
  const value: DocumentNumber = { number, at: now.toISOString() }
  return { fieldId: `number@${issueId}`, value: value as unknown as FieldValue }
}

/**
 * Numbers issued quotes and invoices (src/domain/deals/dealDocuments.ts). Whoever issues one —
 * a browser, offline too — writes only its `document@` entry; after the relay stored it, this
 * takes the next number of its (kind, year) from storage (RelayStorage.assignDocumentNumber:
 * committed before the deal is written, idempotent per issue id) and writes `number@<issue id>`
 * through the API's copy of `deals` and SyncServer.writeServerUpdate, like any member's edit. Two
 * members who issued offline at the same time each get their own number, in the order their
 * updates reach the relay. Concurrent or repeated checks agree: an issue id keeps the number it
 * was given, so a check that runs twice, or a write lost to a crash and made again, writes the
 * same number (a lost write leaves nothing to reuse, never a duplicate).
 *
 * A check looks at every live deal, so it runs only when it may find something: for a stored
 * update that names a `document@` key (every new issue does: Yjs writes a new map key in full),
 * for the first stored change of the deals after the relay started (issues stored by a relay
 * that was killed before it numbered them), and while the copy waits for items an issue may
 * hang off.
 */
export function makeDocumentNumberFollower(storage: RelayStorage, stores: EntityStores, logger: RelayLogger): DocumentNumberFollower {
  let sync: SyncServer | null = null
  let checkedSinceStart = false
  let copyWaits = false
  let schemaCache: { seq: number; schema: WorkspaceSchema } | null = null
  const readSchema = () => {
    const seq = storage.lastSeq(SCHEMA_DOC)
    if (schemaCache?.seq !== seq) schemaCache = { seq, schema: readStoredSchema(storage) }
    return schemaCache.schema
  }

  const check = async () => {
    if (!sync) return
    const dealsDef = findEntity(readSchema(), DEALS)
    if (!dealsDef) return
    const name = entityDocName(dealsDef.id)
    if (storage.lastSeq(name) === 0) return
    const deals = await stores.load(dealsDef.id)
    checkedSinceStart = true
    copyWaits = deals.store.hasPending()
    const now = new Date()
    const changes: { recordId: string; fieldId: string; value: FieldValue }[] = []
    for (const row of deals.store.rows()) {
      if (!holdsIssue(row)) continue
      for (const pending of pendingDocumentsOf(row)) {
        const { number } = storage.assignDocumentNumber(pending.id, pending.kind, documentYear(pending.at, now))
        changes.push({ recordId: row.id, ...numberEntry(pending.id, number, now) })
      }
    }
    if (!changes.length) return
    const change = deals.store.updateCells(changes)
    deals.touched(changes.map((c) => c.recordId))
    try {
      await sync.writeServerUpdate(name, change.update, DOCUMENT_NUMBERS_MEMBER, 'relay')
    } catch (error) {
      // the copy is ahead of storage; the numbers stay taken, and the next check writes them again
      stores.drop(dealsDef.id)
      checkedSinceStart = false
      throw error
    }
  }
  const checks = makeSerialChecks<'stored'>(check, (error) => logger.warn(`document numbers: could not number the issued documents: ${error.message}`))

  return {
    hooks: (inner) => ({
      ...inner,
      afterStoreUpdate(context) {
        inner?.afterStoreUpdate?.(context)
        if (context.documentName !== entityDocName(DEALS) || context.member.id === DOCUMENT_NUMBERS_MEMBER.id) return
        if (!checkedSinceStart || copyWaits || namesIssue(context.update)) checks.request('stored')
      },
    }),
    start(s) {
      sync = s
    },
    idle: checks.idle,
  }
}

function holdsIssue(row: Row): boolean {
  for (const key in row.values) if (key.startsWith('document@') && DOCUMENT_ISSUE_KEY.test(key)) return true
  return false
}

function namesIssue(update: Uint8Array): boolean {
  return Buffer.from(update.buffer, update.byteOffset, update.byteLength).includes(ISSUE_PREFIX)
}
