import * as Y from 'yjs'
import type { Rule, RuleFiring, RuleRunLog } from '../domain/rules/rule'
import { RULE_TEMPLATES } from '../domain/rules/ruleTemplates'
import type { RuleNotification, RuleWebhook } from '../domain/rules/runRules'

/*
 * Layout of the `automation` document (issue 16):
 *   getMap('rules'): ruleId → Y.Map { name, enabled, trigger, conditions, actions, createdAt,
 *                                      createdBy, updatedAt, deletedAt } (JSON values)
 *   getMap('runs'): `<ruleId>|<writer>` → RuleRunLog (a writer: `<memberId>.<deviceId>` or 'relay')
 *   getMap('notifications'): `<memberId>|<id>` → { message, entity, recordId, ruleId, at, readAt? }
 *   getMap('outbox'): `<id>` → RuleWebhook (the relay posts it once, then deletes the key)
 * One entry per rule property, so an admin switching a rule off and another editing its actions
 * both win. Each writer keeps its own run log, so two writers firing apart never lose a count;
 * readers add the logs up (summarizeRuns). Removal is a `deletedAt`, so a client offline
 * meanwhile does not bring a removed rule back.
 */
const RULES = 'rules'
const RUNS = 'runs'
const NOTIFICATIONS = 'notifications'
const OUTBOX = 'outbox'

/** The rule properties stored as entries of its map (all but `id`, which is the key). */
export const RULE_PROPERTIES = ['name', 'enabled', 'trigger', 'conditions', 'actions', 'createdAt', 'createdBy', 'updatedAt', 'deletedAt'] as const
const OPTIONAL_PROPERTIES: ReadonlySet<string> = new Set(['updatedAt', 'deletedAt'])

/** The engine's plan's notification and webhook call (runRules.ts), as the document keeps them. */
export type AutomationNotification = RuleNotification
export type AutomationWebhook = RuleWebhook
/** A notification as its member reads it. */
export interface StoredNotification extends AutomationNotification { readAt?: string }

export const RUN_KEY_SEPARATOR = '|'

export function runKey(ruleId: string, writer: string): string {
  return `${ruleId}${RUN_KEY_SEPARATOR}${writer}`
}

export function notificationKey(memberId: string, id: string): string {
  return `${memberId}${RUN_KEY_SEPARATOR}${id}`
}

/** `[ruleId, writer]` of a runs key, or null when it has no separator. */
export function parseRunKey(key: string): [string, string] | null {
  const at = key.indexOf(RUN_KEY_SEPARATOR)
  return at > 0 && at < key.length - 1 ? [key.slice(0, at), key.slice(at + 1)] : null
}

export const parseNotificationKey = parseRunKey

export function rulesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(RULES)
}
export function runsOf(doc: Y.Doc): Y.Map<RuleRunLog> {
  return doc.getMap(RUNS)
}
export function notificationsOf(doc: Y.Doc): Y.Map<Omit<StoredNotification, 'id' | 'member'>> {
  return doc.getMap(NOTIFICATIONS)
}
export function outboxOf(doc: Y.Doc): Y.Map<AutomationWebhook> {
  return doc.getMap(OUTBOX)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : '')
/** A deep copy made of plain JSON, so Yjs stores a value no caller can mutate afterwards. */
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** One rule as plain data, or null when its entries do not make a rule (any client can write). */
function ruleFromMap(id: string, y: Y.Map<unknown>): Rule | null {
  const trigger = y.get('trigger')
  const conditions = y.get('conditions')
  const actions = y.get('actions')
  if (!isObject(trigger) || typeof trigger.kind !== 'string') return null
  const updatedAt = y.get('updatedAt')
  const deletedAt = y.get('deletedAt')
  return {
    id,
    name: str(y.get('name')),
    enabled: y.get('enabled') === true,
    trigger: trigger as unknown as Rule['trigger'],
    conditions: Array.isArray(conditions) ? conditions : [],
    actions: Array.isArray(actions) ? actions : [],
    createdAt: str(y.get('createdAt')),
    createdBy: str(y.get('createdBy')),
    ...(typeof updatedAt === 'string' ? { updatedAt } : {}),
    ...(typeof deletedAt === 'string' ? { deletedAt } : {}),
  }
}

/** The rules, soft-deleted ones included (with `deletedAt`), oldest first. */
export function readRules(doc: Y.Doc): Rule[] {
  const rules: Rule[] = []
  rulesOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map)) return
    const rule = ruleFromMap(id, y)
    if (rule) rules.push(rule)
  })
  return rules.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

/** One rule (soft-deleted too), or null when there is none with that id. */
export function findRule(doc: Y.Doc, id: string): Rule | null {
  const y = rulesOf(doc).get(id)
  return y instanceof Y.Map ? ruleFromMap(id, y) : null
}

function setProps(y: Y.Map<unknown>, rule: Rule): void {
  for (const key of RULE_PROPERTIES) {
    const value = (rule as unknown as Record<string, unknown>)[key]
    if (value === undefined) {
      if (OPTIONAL_PROPERTIES.has(key) && y.has(key)) y.delete(key)
      continue
    }
    // compared as JSON: an unchanged property is not written again, so it cannot overwrite a teammate's concurrent edit
    if (JSON.stringify(y.get(key)) !== JSON.stringify(value)) y.set(key, json(value))
  }
}

/**
 * Writes a rule, new or changed: only the properties that differ from the document are written
 * (each its own entry), so an edit of one property leaves a teammate's edit of another standing.
 */
export function writeRule(doc: Y.Doc, rule: Rule, origin: unknown = null): void {
  doc.transact(() => {
    const rules = rulesOf(doc)
    let y = rules.get(rule.id)
    if (!(y instanceof Y.Map)) {
      y = new Y.Map<unknown>()
      rules.set(rule.id, y)
    }
    setProps(y, rule)
  }, origin)
}

function ruleMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const y = rulesOf(doc).get(id)
  if (!(y instanceof Y.Map)) throw new AutomationError(`Unknown rule "${id}"`)
  return y
}

export function setRuleEnabled(doc: Y.Doc, id: string, enabled: boolean, origin: unknown = null): void {
  const y = ruleMap(doc, id)
  if (y.get('enabled') !== enabled) doc.transact(() => y.set('enabled', enabled), origin)
}

/** Soft-deletes a rule (kept with `deletedAt`; it no longer fires). */
export function deleteRule(doc: Y.Doc, id: string, at: string, origin: unknown = null): void {
  const y = ruleMap(doc, id)
  doc.transact(() => y.set('deletedAt', at), origin)
}

/** The adds-up of one writer's log, or null when the entry is not a run log. */
function readRunLog(value: unknown): RuleRunLog | null {
  if (!isObject(value) || typeof value.count !== 'number') return null
  const lastRecord = isObject(value.lastRecord) && typeof value.lastRecord.entity === 'string' && typeof value.lastRecord.recordId === 'string'
    ? { entity: value.lastRecord.entity, recordId: value.lastRecord.recordId }
    : null
  const errors = Array.isArray(value.errors)
    ? value.errors.filter((e): e is RuleRunLog['errors'][number] => isObject(e) && typeof e.at === 'string' && typeof e.message === 'string')
    : []
  return { count: value.count, lastAt: typeof value.lastAt === 'string' ? value.lastAt : null, lastRecord, errors }
}

/** Every writer's log, by rule id. */
export function readRuns(doc: Y.Doc): Map<string, RuleRunLog[]> {
  const byRule = new Map<string, RuleRunLog[]>()
  runsOf(doc).forEach((value, key) => {
    const parsed = parseRunKey(key)
    const log = readRunLog(value)
    if (!parsed || !log) return
    const logs = byRule.get(parsed[0])
    if (logs) logs.push(log)
    else byRule.set(parsed[0], [log])
  })
  return byRule
}

const MAX_ERRORS = 5

/** Adds firings to the writer's own logs (one entry per rule and writer, so no other writer's count is touched). */
export function recordFirings(doc: Y.Doc, writer: string, firings: readonly RuleFiring[], origin: unknown = null): void {
  if (!firings.length) return
  const runs = runsOf(doc)
  const byRule = new Map<string, RuleFiring[]>()
  for (const f of firings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f])
  doc.transact(() => {
    for (const [ruleId, fired] of byRule) {
      const key = runKey(ruleId, writer)
      const log = readRunLog(runs.get(key)) ?? { count: 0, lastAt: null, lastRecord: null, errors: [] }
      for (const f of fired) {
        log.count += 1
        if (log.lastAt === null || f.at >= log.lastAt) {
          log.lastAt = f.at
          log.lastRecord = { entity: f.entity, recordId: f.recordId }
        }
        if (f.error !== undefined) log.errors.unshift({ at: f.at, message: f.error, recordId: f.recordId })
      }
      log.errors.sort((a, b) => b.at.localeCompare(a.at))
      log.errors = log.errors.slice(0, MAX_ERRORS)
      runs.set(key, json(log))
    }
  }, origin)
}

export function addNotifications(doc: Y.Doc, notes: readonly AutomationNotification[], origin: unknown = null): void {
  if (!notes.length) return
  const map = notificationsOf(doc)
  doc.transact(() => {
    for (const { id, member, message, entity, recordId, ruleId, at } of notes) {
      const key = notificationKey(member, id)
      if (!map.has(key)) map.set(key, { message, entity, recordId, ruleId, at })
    }
  }, origin)
}

function readNotification(member: string, id: string, value: unknown): StoredNotification | null {
  if (!isObject(value) || typeof value.message !== 'string' || typeof value.at !== 'string') return null
  return {
    id, member, message: value.message, entity: str(value.entity), recordId: str(value.recordId), ruleId: str(value.ruleId), at: value.at,
    ...(typeof value.readAt === 'string' ? { readAt: value.readAt } : {}),
  }
}

/** The member's notifications, newest first. */
export function readNotifications(doc: Y.Doc, memberId: string): StoredNotification[] {
  const notes: StoredNotification[] = []
  notificationsOf(doc).forEach((value, key) => {
    const parsed = parseNotificationKey(key)
    if (!parsed || parsed[0] !== memberId) return
    const note = readNotification(parsed[0], parsed[1], value)
    if (note) notes.push(note)
  })
  return notes.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id))
}

export function markNotificationRead(doc: Y.Doc, memberId: string, id: string, at: string, origin: unknown = null): void {
  const map = notificationsOf(doc)
  const key = notificationKey(memberId, id)
  const value = map.get(key)
  if (!isObject(value) || value.readAt !== undefined) return
  doc.transact(() => map.set(key, { ...json(value), readAt: at }), origin)
}

export function queueWebhooks(doc: Y.Doc, hooks: readonly AutomationWebhook[], origin: unknown = null): void {
  if (!hooks.length) return
  const outbox = outboxOf(doc)
  doc.transact(() => {
    for (const { id, url, ruleId, entity, recordId, at } of hooks) if (!outbox.has(id)) outbox.set(id, { id, url, ruleId, entity, recordId, at })
  }, origin)
}

/** The webhooks waiting for the relay, oldest first. */
export function readOutbox(doc: Y.Doc): AutomationWebhook[] {
  const hooks: AutomationWebhook[] = []
  outboxOf(doc).forEach((value, id) => {
    if (isObject(value) && typeof value.url === 'string') {
      hooks.push({ id, url: value.url, ruleId: str(value.ruleId), entity: str(value.entity), recordId: str(value.recordId), at: str(value.at) })
    }
  })
  return hooks.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
}

export function removeFromOutbox(doc: Y.Doc, ids: readonly string[], origin: unknown = null): void {
  const outbox = outboxOf(doc)
  const present = ids.filter((id) => outbox.has(id))
  if (present.length) doc.transact(() => { for (const id of present) outbox.delete(id) }, origin)
}

/**
 * Adds the templates the document lacks (by their fixed ids); never touches one already there,
 * so an admin's edit of a template, or its removal (a `deletedAt`), stands. Answers the ids added.
 */
export function seedRuleTemplates(doc: Y.Doc, templates: readonly Rule[] = RULE_TEMPLATES, origin: unknown = null): string[] {
  const rules = rulesOf(doc)
  const missing = templates.filter((t) => !rules.has(t.id))
  if (missing.length) doc.transact(() => { for (const t of missing) writeRule(doc, t, origin) }, origin)
  return missing.map((t) => t.id)
}

export class AutomationError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'AutomationError'
  }
}
