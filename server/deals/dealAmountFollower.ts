import { entityDocName } from '../../src/crdt/docNames'
import { dealLineFieldIds, dealLineInputs, lineDealId } from '../../src/domain/deals/dealLineInputs'
import { dealTotals } from '../../src/domain/deals/dealTotals'
import { fieldByKey, findEntity, type Money, type Row, type WorkspaceSchema } from '../../src/domain/schema'
import type { Member } from '../auth/member'
import { readStoredSchema } from '../http/readStoredSchema'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import type { EntityStores } from '../api/entityStores'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { makeSerialChecks } from './serialChecks'

const LINES = 'deal_lines'
const DEALS = 'deals'

/** The relay's own writes of deal amounts carry this author, like a form's lead carries the form. */
export const DEAL_LINES_MEMBER: Member = { id: 'relay:deal-lines', name: 'Deal lines', role: 'editor', createdAt: '' }

export interface DealAmountFollower {
  /** The relay's hooks with this one around them: every stored update of the lines or the deals schedules a check. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  /** The sync server its writes go through (made after the hooks). */
  start(sync: SyncServer): void
  /** Resolves once no check is pending or running (tests, shutdown). */
  idle(): Promise<void>
}

/**
 * Makes a deal's `amount` follow its lines: lines and deals are separate documents, so no single
 * transaction can hold both. After any stored change to `deal_lines` (from a browser or the API)
 * the relay adds up the lines of each deal whose lines changed (dealTotals) and, when the deal's
 * stored amount differs, writes the total through the API's copy of `deals` and
 * SyncServer.writeServerUpdate, like any member's edit. The write is a function of the stored
 * lines only and happens only when the value differs, so concurrent or repeated checks agree and
 * settle: every relay and every rerun writes the same amount, or nothing. A stored change to
 * `deals` (someone typed over an amount, changed the currency) checks the deals that have lines
 * again. A deal whose lines are refused (mixed currencies) keeps its amount. The app shows the
 * same total live from its own copy of the lines before the relay's write arrives.
 */
export function makeDealAmountFollower(storage: RelayStorage, stores: EntityStores, logger: RelayLogger): DealAmountFollower {
  let sync: SyncServer | null = null
  // the lines as last seen, by id (a changed row is a new object), and each deal's lines
  const lineRows = new Map<string, { row: Row; deal: string | undefined }>()
  const dealLines = new Map<string, Set<string>>()
  let schemaCache: { seq: number; schema: WorkspaceSchema } | null = null
  const readSchema = () => {
    const seq = storage.lastSeq(SCHEMA_DOC)
    if (schemaCache?.seq !== seq) schemaCache = { seq, schema: readStoredSchema(storage) }
    return schemaCache.schema
  }

  const checks = makeSerialChecks<'lines' | 'deals'>((reasons) => check(reasons.has('lines')),
    (error) => logger.warn(`deal amounts: could not follow the lines: ${error.message}`))

  const check = async (linesMoved: boolean) => {
    if (!sync) return
    const schema = readSchema()
    const linesDef = findEntity(schema, LINES)
    const dealsDef = findEntity(schema, DEALS)
    const amountField = dealsDef && fieldByKey(dealsDef, 'amount')
    if (!linesDef || !dealsDef || !amountField || amountField.type !== 'money') return
    // nothing to follow in a workspace that never stored a line
    if (storage.lastSeq(entityDocName(linesDef.id)) === 0) return
    const lines = stores.get(linesDef.id)
    const deals = stores.get(dealsDef.id)
    const dealField = dealLineFieldIds(linesDef).deal
    const affected = new Set<string>()
    if (linesMoved || lineRows.size === 0) {
      const seen = new Set<string>()
      for (const row of lines.store.rows()) {
        seen.add(row.id)
        const before = lineRows.get(row.id)
        if (before?.row === row) continue
        const deal = lineDealId(row, dealField)
        if (before?.deal) { affected.add(before.deal); dealLines.get(before.deal)?.delete(row.id) }
        if (deal) {
          affected.add(deal)
          let set = dealLines.get(deal)
          if (!set) dealLines.set(deal, (set = new Set()))
          set.add(row.id)
        }
        lineRows.set(row.id, { row, deal })
      }
      for (const [id, { deal }] of lineRows) {
        if (seen.has(id)) continue
        lineRows.delete(id)
        if (deal) { affected.add(deal); dealLines.get(deal)?.delete(id) }
      }
    }
    // a deal edit may have typed over a followed amount: every deal with lines is looked at again (map reads only)
    const toCheck = linesMoved ? affected : new Set(dealLines.keys())
    const currencyField = fieldByKey(dealsDef, 'currency')?.id
    const changes: { recordId: string; fieldId: string; value: Money }[] = []
    for (const dealId of toCheck) {
      const ids = dealLines.get(dealId)
      if (!ids?.size) { dealLines.delete(dealId); continue }
      const deal = deals.store.row(dealId)
      if (!deal || deal.deletedAt !== undefined) continue
      const currency = currencyField ? deal.values[currencyField] : undefined
      const rows = [...ids].map((id) => lineRows.get(id)!.row)
      const result = dealTotals(dealLineInputs(linesDef, rows), typeof currency === 'string' && currency ? currency : undefined)
      if (!result.ok) continue
      const stored = deal.values[amountField.id]
      const next: Money = { amount: result.totals.total, currency: result.totals.currency }
      if (typeof stored === 'object' && stored !== null && !Array.isArray(stored) && stored.amount === next.amount && stored.currency === next.currency) continue
      changes.push({ recordId: dealId, fieldId: amountField.id, value: next })
    }
    if (!changes.length) return
    const change = deals.store.updateCells(changes)
    deals.touched(changes.map((c) => c.recordId))
    try {
      await sync.writeServerUpdate(entityDocName(dealsDef.id), change.update, DEAL_LINES_MEMBER, 'relay')
    } catch (error) {
      stores.drop(dealsDef.id)
      throw error
    }
  }

  return {
    hooks: (inner) => ({
      ...inner,
      afterStoreUpdate(context) {
        inner?.afterStoreUpdate?.(context)
        if (context.documentName === entityDocName(LINES)) checks.request('lines')
        else if (context.documentName === entityDocName(DEALS) && context.member.id !== DEAL_LINES_MEMBER.id) checks.request('deals')
      },
    }),
    start(s) {
      sync = s
    },
    idle: checks.idle,
  }
}
