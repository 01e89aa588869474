import { findEntity, type EntityDef, type Row, type WorkspaceSchema } from '../schema'
import { utcToZonedTime, zonedTimeToUtc } from '../zonedTimeToUtc'
import type { Rule, RuleTrigger } from './rule'
import { liveField } from './ruleFields'
import { conditionsHold, isActive, RulePlanner, type PendingChange } from './rulePlanner'
import { DURATION_UNIT_MS } from './ruleDuration'
import type { RuleContext, RulePlan } from './runRules'

/**
 * A time-based rule due on a record. The relay stores (ruleId, recordId, triggerKey) once it has
 * applied the firing's plan, and skips a firing whose key it holds: a date rule's key is the
 * date it looked at (moving the date may fire again), a silence rule's key the last activity's
 * time (or the record's creation), so a record fires once per silent stretch.
 */
export interface TimedFiring { ruleId: string; entity: string; recordId: string; triggerKey: string }

/** One rule's test of a row, set up before the pass: returns the trigger key when due. */
type DueTest = (row: Row) => string | null

const DAY_MS = DURATION_UNIT_MS.days
/**
 * Whether a time is in the form toISOString writes (YYYY-MM-DDTHH:MM:SS.mmmZ, as validateFieldValue
 * stores date-times and the CRDT layer createdAt): such times order as text, so the pass compares
 * them without parsing — three character tests instead of a Date.parse per row.
 */
function isCanonicalInstant(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(19) === 46 /* . */
}

/** The calendar day `offset` days from `now`'s day in the zone, as YYYY-MM-DD, and its instants [start, end). */
function zonedDay(now: Date, timeZone: string, offset: number): { date: string; start: number; end: number } {
  const today = utcToZonedTime(now.getTime(), timeZone)
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset))
  const midnight = (t: Date) => zonedTimeToUtc({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone)
  return { date: day.toISOString().slice(0, 10), start: midnight(day), end: midnight(new Date(day.getTime() + DAY_MS)) }
}

function dueTest(rule: Rule, now: Date, timeZone: string, lastActivityAt: (entity: string, recordId: string) => string | null): DueTest | null {
  const trigger = rule.trigger
  if (trigger.kind === 'dateOffset') {
    if (!Number.isFinite(trigger.days)) return null
    // `days` after the date is today: the date is today minus `days`
    const { date, start, end } = zonedDay(now, timeZone, -Math.trunc(trigger.days))
    const startText = new Date(start).toISOString()
    const endText = new Date(end).toISOString()
    const id = trigger.field
    // a date holds YYYY-MM-DD, a date-time an instant (whose day is the zone's)
    return (row) => {
      const cell = row.values[id]
      if (typeof cell !== 'string') return null
      if (cell.length === 10) return cell === date ? cell : null
      if (isCanonicalInstant(cell)) return cell >= startText && cell < endText ? cell : null
      const at = Date.parse(cell)
      return at >= start && at < end ? cell : null
    }
  }
  if (trigger.kind === 'noActivity') {
    if (!Number.isFinite(trigger.days) || trigger.days < 0) return null
    const before = now.getTime() - trigger.days * DAY_MS
    const beforeText = new Date(before).toISOString()
    const entity = trigger.entity
    return (row) => {
      const last = lastActivityAt(entity, row.id) ?? row.createdAt
      if (isCanonicalInstant(last)) return last < beforeText ? last : null
      return Date.parse(last) < before ? last : null
    }
  }
  return null
}

/** With the schema known: the date field a date rule reads is still there, and a date. */
function dueOnEntity(trigger: RuleTrigger, entity: EntityDef): boolean {
  if (trigger.kind !== 'dateOffset') return true
  const field = liveField(entity, trigger.field)
  return field?.type === 'date' || field?.type === 'dateTime'
}

/**
 * The relay's pass: every enabled time-based rule's firings due now, over the live rows of its
 * entity (each entity's rows read once, whatever the number of rules on it). "Today" is the day
 * in `timeZone`. A date rule is due on the one day its date is `days` away (negative: before the
 * date); a silence rule once the record's last activity created or completed (`lastActivityAt`,
 * else the record's creation) is more than `days` × 24 h old. With `schema`, the rules'
 * conditions are checked here too (without, planTimedFiring checks them and plans nothing for a
 * record they do not hold for: store no key then).
 */
export function dueTimedFirings(
  rules: readonly Rule[], rowsOf: (entity: string) => Iterable<Row>, lastActivityAt: (entity: string, recordId: string) => string | null,
  now: Date, timeZone: string, schema?: WorkspaceSchema,
): TimedFiring[] {
  const byEntity = new Map<string, { rule: Rule; due: DueTest; entity: EntityDef | undefined }[]>()
  for (const rule of rules) {
    if (!isActive(rule) || (rule.trigger.kind !== 'dateOffset' && rule.trigger.kind !== 'noActivity')) continue
    const due = dueTest(rule, now, timeZone, lastActivityAt)
    if (!due) continue
    const entity = schema && findEntity(schema, rule.trigger.entity)
    if (schema && (!entity || !dueOnEntity(rule.trigger, entity))) continue
    const list = byEntity.get(rule.trigger.entity) ?? []
    list.push({ rule, due, entity })
    byEntity.set(rule.trigger.entity, list)
  }
  const firings: TimedFiring[] = []
  for (const [entityId, tests] of byEntity) {
    for (const row of rowsOf(entityId)) {
      if (row.deletedAt || row.purgedAt) continue
      for (let i = 0; i < tests.length; i++) {
        const t = tests[i]!
        const key = t.due(row)
        if (key === null) continue
        if (schema && !conditionsHold(t.rule, schema, t.entity!, row)) continue
        firings.push({ ruleId: t.rule.id, entity: entityId, recordId: row.id, triggerKey: key })
      }
    }
  }
  return firings
}

/**
 * A due firing's plan: the rule's actions on the record as it is now (nothing, without a firing,
 * when its conditions no longer hold or the record is gone), plus the change-triggered rules
 * among `rules` that its writes trigger. Ids derive from the firing (rule, record, trigger key),
 * so planning the same firing again after a crash names the same records.
 */
export function planTimedFiring(rule: Rule, firing: TimedFiring, ctx: RuleContext, rules: readonly Rule[] = [rule]): RulePlan {
  const planner = new RulePlanner(rules, ctx, () => `timed|${rule.id}|${firing.entity}|${firing.recordId}|${firing.triggerKey}`)
  if (!isActive(rule) || rule.id !== firing.ruleId) return planner.plan
  const next: PendingChange[] = []
  if (planner.fire(rule, firing.entity, firing.recordId, [], next)) planner.settle(next)
  return planner.plan
}
