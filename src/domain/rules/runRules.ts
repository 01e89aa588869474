import type { FieldValue, Row, WorkspaceSchema } from '../schema'
import type { RecordChange, Rule, RuleFiring } from './rule'
import { RulePlanner } from './rulePlanner'

/** What the engine needs from whoever runs it: the member's app, or the relay. */
export interface RuleContext {
  schema: WorkspaceSchema
  now: Date
  /** The workspace's zone, for time-based rules' "today" (default UTC). */
  timeZone?: string
  /** The writer: a member id, or 'relay:rules' on the relay. */
  writer: string
  /**
   * The member who made the changes, when a member did (the app; absent on the relay): an activity
   * "for its owner" on a record without an owner goes to them — a lead typed into the grid is born
   * without one — as a lead converted without an owner gives its records to the member converting.
   */
  member?: string
  /** A record as the writer has it now (before the plan's own writes; the engine overlays those). */
  row(entity: string, id: string): Row | undefined
  /** Firings of the rule counted so far (all writers' logs added up): round robin picks members[count % n]. */
  firedCount(ruleId: string): number
  /** The id of a record a rule creates, from a seed unique to the firing (the relay: derivedId(seed); the app: random is fine, a seed lets a retry find it). */
  newId(seed: string): string
}

/**
 * A write the plan asks for, values keyed by field id, already checked against their fields. A
 * stage move carries its `stage@<id>` change entry (and the new stage's pipeline) like the grid's
 * (stageHistory.ts). A set on a record the same plan creates is folded into the create.
 */
export type RuleWrite =
  | { kind: 'create'; entity: string; id: string; values: Record<string, FieldValue>; ruleId: string }
  | { kind: 'set'; entity: string; recordId: string; values: Record<string, FieldValue>; ruleId: string }

export interface RuleNotification { id: string; member: string; message: string; entity: string; recordId: string; ruleId: string; at: string }
export interface RuleWebhook { id: string; url: string; ruleId: string; entity: string; recordId: string; at: string }

/** Everything the rules do about some changes: applied by the writer in the same transaction as the changes. */
export interface RulePlan { writes: RuleWrite[]; notifications: RuleNotification[]; webhooks: RuleWebhook[]; firings: RuleFiring[] }

/**
 * A seed naming the writer, the time and what the changes wrote (a digest of the records' ids and
 * values): two edits of one record within a millisecond seed apart, while the same request
 * replayed (the API's retry) seeds alike.
 */
function changeSeed(changes: readonly RecordChange[], ctx: RuleContext): string {
  let hash = 0x811c9dc5
  for (const change of changes) {
    const text = `${change.entity}/${change.recordId}:${JSON.stringify(change.after.values)}`
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  }
  return `change|${ctx.writer}|${ctx.now.toISOString()}|${hash.toString(36)}`
}

/**
 * Change-triggered rules for the writer's own changes, recursively on the plan's own writes up to
 * MAX_RULE_DEPTH: a rule whose firing would go deeper is not run, and its firing carries an error
 * naming the chain. Disabled and deleted rules never fire; time-based ones are the relay's
 * (timedRules.ts). Later rules read records with the plan's earlier writes applied.
 */
export function runRules(rules: readonly Rule[], changes: readonly RecordChange[], ctx: RuleContext): RulePlan {
  const planner = new RulePlanner(rules, ctx, () => changeSeed(changes, ctx))
  for (const change of changes) planner.overlayRow(change.entity, change.after)
  planner.settle(changes.map((change) => ({ change, chain: [] })))
  return planner.plan
}
