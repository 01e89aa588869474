import * as Y from 'yjs'
import { addNotifications, queueWebhooks, recordFirings } from '../../src/crdt/automationDoc'
import type { LocalChange } from '../../src/crdt/compactRecordStore'
import { entityDocName } from '../../src/crdt/docNames'
import { randomId } from '../../src/crdt/randomId'
import type { RecordChange } from '../../src/domain/rules/rule'
import { activitiesEntity, dealsOf } from '../../src/domain/rules/ruleFields'
import { runRules, type RuleContext, type RulePlan, type RuleWrite } from '../../src/domain/rules/runRules'
import type { WorkspaceSchema } from '../../src/domain/schema'
import type { EntityStore, EntityStores } from '../api/entityStores'
import { derivedId } from '../api/derivedId'
import type { Member } from '../auth/member'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { SyncServer } from '../rooms/syncServer'
import type { UpdateOrigin } from '../rooms/writeServerUpdate'
import type { RelayStorage } from '../storage/relayStorage'
import type { RelayLogger } from '../relayLogger'
import { RULES_MEMBER, type AutomationCopy } from './automationCopy'

/** The writer the relay's rule firings are logged under (`runs[<rule id>|relay]`). */
export const RELAY_WRITER = 'relay'
/** RuleContext.writer on the relay. */
export const RELAY_RULE_WRITER = 'relay:rules'

/** A change the relay makes itself (an API write, a web form's lead, a call, a conversion), before it is stored. */
export interface RelayChange {
  entityId: string
  /** The change's own update, made on the entity's API copy. */
  update: Uint8Array
  /** The records it changed, as the rules see them (before: null for a created record). */
  changes: RecordChange[]
  author: Member
  origin: UpdateOrigin
  /**
   * Unique to the request when it may be retried (the caller and its Idempotency-Key): the ids of
   * what the rules create derive from it, so a retry finds them instead of adding a second.
   */
  seed: string | null
  /** The change's record was already stored by an earlier attempt of the same request (a retry): only what is missing is written. */
  retried?: boolean
}

export interface RelayRules {
  /** The relay's copy of the automation document the rules are read from (the rules API writes through it). */
  readonly copy: AutomationCopy
  /**
   * Stores the relay's change together with what the rules it triggers do (runRules, writer
   * 'relay:rules'): their writes to the change's own document in the same update, the rest right
   * after through the same path, then the firings, notifications and webhooks in the automation
   * document. Without an enabled change-triggered rule this is the plain write.
   */
  storeChange(change: RelayChange): Promise<void>
  /** Applies a plan made elsewhere (the time-based pass): writes per document, then the automation document. */
  applyPlan(plan: RulePlan, author: Member, origin: UpdateOrigin): Promise<void>
}

/** What a plan writes to one entity document, built on its API copy. */
interface PlannedDocument { entityId: string; entry: EntityStore; changes: LocalChange[]; fresh: boolean }

export function makeRelayRules(storage: RelayStorage, stores: EntityStores, copy: AutomationCopy, sync: () => SyncServer, logger: RelayLogger): RelayRules {
  const write = async (entityId: string, update: Uint8Array, author: Member, origin: UpdateOrigin) => {
    try {
      await sync().writeServerUpdate(entityDocName(entityId), update, author, origin)
    } catch (error) {
      // the copy is ahead of storage: read it again on the next request
      stores.drop(entityId)
      throw error
    }
  }

  /** The documents a plan may read: the activities and the deals, loaded off the event loop before it runs. */
  const preload = async (schema: WorkspaceSchema, entityId: string) => {
    const ids = new Set([entityId, activitiesEntity(schema)?.id, dealsOf(schema)?.entity.id].filter((id): id is string => id !== undefined))
    await Promise.all([...ids].map((id) => stores.load(id)))
  }

  /** A change's context: with a request's seed, a retry plans the same firings in the same order, so the n-th id is the same. */
  const changeContext = (schema: WorkspaceSchema, seed: string | null): RuleContext => {
    let n = 0
    return relayRuleContext(schema, stores, copy, () => (seed === null ? randomId() : derivedId(`${seed}\nrule\n${n++}`)))
  }

  /** The plan's record writes on the API copies, one entry per document; creates a retry finds made already are skipped. */
  const build = (writes: readonly RuleWrite[]): PlannedDocument[] => {
    const byEntity = new Map<string, PlannedDocument>()
    for (const w of writes) {
      let doc = byEntity.get(w.entity)
      if (!doc) byEntity.set(w.entity, (doc = { entityId: w.entity, entry: stores.get(w.entity), changes: [], fresh: false }))
      const store = doc.entry.store
      if (w.kind === 'create') {
        if (store.row(w.id)) continue
        doc.changes.push(store.createRecord(w.values, { createdBy: RULES_MEMBER.id, id: w.id }))
        doc.entry.touched([w.id])
        doc.fresh = true
      } else {
        if (!store.row(w.recordId)) continue
        const change = store.updateCells(Object.entries(w.values).map(([fieldId, value]) => ({ recordId: w.recordId, fieldId, value })))
        if (change.update.byteLength <= 2) continue
        doc.changes.push(change)
        doc.entry.touched([w.recordId])
        doc.fresh = true
      }
    }
    return [...byEntity.values()]
  }

  const merged = (updates: Uint8Array[]) => (updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates))

  const recordOutcome = async (plan: RulePlan) => {
    if (!plan.firings.length && !plan.notifications.length && !plan.webhooks.length) return
    await copy.write((doc) => {
      recordFirings(doc, RELAY_WRITER, plan.firings)
      addNotifications(doc, plan.notifications)
      queueWebhooks(doc, plan.webhooks)
    })
  }

  const writeOthers = async (documents: readonly PlannedDocument[], author: Member, origin: UpdateOrigin) => {
    for (const doc of documents) if (doc.changes.length) await write(doc.entityId, merged(doc.changes.map((c) => c.update)), author, origin)
  }

  return {
    copy,
    async storeChange(change) {
      const rules = copy.rules()
      if (!rules.some((r) => r.enabled && !r.deletedAt)) {
        if (change.update.byteLength > 2) await write(change.entityId, change.update, change.author, change.origin)
        return
      }
      const schema = cachedStoredSchema(storage)
      await preload(schema, change.entityId)
      let plan: RulePlan
      try {
        plan = runRules(rules, change.changes, changeContext(schema, change.seed))
      } catch (error) {
        // a rule the engine cannot plan must not cost the caller its change: stored without the rules' consequences
        logger.error(`automation: planning the rules of a ${change.origin} write failed; the change is stored without them: ${(error as Error).stack ?? String(error)}`)
        if (change.update.byteLength > 2) await write(change.entityId, change.update, change.author, change.origin)
        return
      }
      let documents: PlannedDocument[]
      try {
        documents = build(plan.writes)
      } catch (error) {
        // nothing stored yet: the copies hold writes storage lacks
        stores.drop(change.entityId)
        for (const w of plan.writes) stores.drop(w.entity)
        throw error
      }
      const own = documents.find((d) => d.entityId === change.entityId)
      const ownUpdates = [change.update, ...(own?.changes.map((c) => c.update) ?? [])].filter((u) => u.byteLength > 2)
      if (ownUpdates.length) await write(change.entityId, merged(ownUpdates), change.author, change.origin)
      const others = documents.filter((d) => d !== own)
      await writeOthers(others, RULES_MEMBER, 'relay')
      // a retry whose first attempt got this far logs nothing twice
      if (!change.retried || documents.some((d) => d.fresh)) await recordOutcome(plan)
    },
    async applyPlan(plan, author, origin) {
      for (const id of new Set(plan.writes.map((w) => w.entity))) await stores.load(id)
      const documents = build(plan.writes)
      await writeOthers(documents, author, origin)
      // planned again after a crash (its records are there): logged once
      if (!plan.writes.length || documents.some((d) => d.fresh)) await recordOutcome(plan)
    },
  }
}

/** What the engine reads on the relay: the API copies, the automation document's logs; `newId` makes the ids of what rules create. */
export function relayRuleContext(schema: WorkspaceSchema, stores: EntityStores, copy: AutomationCopy, newId: (seed: string) => string, now = new Date()): RuleContext {
  return {
    schema,
    now,
    timeZone: schema.workspace?.timeZone,
    writer: RELAY_RULE_WRITER,
    row: (entity, id) => stores.get(entity).store.row(id),
    firedCount: (ruleId) => copy.firedCount(ruleId),
    newId,
  }
}
