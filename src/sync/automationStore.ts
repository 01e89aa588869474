import type * as Y from 'yjs'
import {
  addNotifications, deleteRule, markNotificationRead, queueWebhooks, readNotifications, readRules, readRuns, recordFirings, setRuleEnabled, writeRule,
  type StoredNotification,
} from '../crdt/automationDoc'
import type { Rule, RuleRunLog } from '../domain/rules/rule'
import { summarizeRuns } from '../domain/rules/summarizeRuns'
import type { RuleEffects } from './ruleWriter'

/** The `automation` document as one member's app reads and writes it (plain data; Y types stay inside). */
export interface AutomationStore {
  /** Every rule, soft-deleted ones included (`deletedAt`), oldest first. */
  rules(): Rule[]
  /** Each rule's log, every writer's added up (summarizeRuns), by rule id. */
  runs(): Map<string, RuleRunLog>
  /** This member's rule notifications, newest first. */
  notifications(): StoredNotification[]
  /** Called after every change of the document, local or received (once per turn). */
  subscribe(listener: () => void): () => void
  /** Admins only (the relay refuses the rules of others). */
  writeRule(rule: Rule): void
  setRuleEnabled(id: string, enabled: boolean): void
  deleteRule(id: string): void
  markRead(notificationId: string): void
  /** What the rules did for this member's change: firings in this writer's log, notifications, webhooks for the relay. */
  record(effects: RuleEffects): void
}

/** `writer`: `<member id>.<device id>`, this browser's own run-log entries. */
export function makeAutomationStore(doc: Y.Doc, memberId: string, writer: string, now: () => Date = () => new Date()): AutomationStore {
  const listeners = new Set<() => void>()
  let scheduled = false
  const notify = () => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      listeners.forEach((l) => l())
    })
  }
  doc.on('update', notify)
  return {
    rules: () => readRules(doc),
    runs() {
      const out = new Map<string, RuleRunLog>()
      for (const [id, logs] of readRuns(doc)) out.set(id, summarizeRuns(logs))
      return out
    },
    notifications: () => readNotifications(doc, memberId),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    writeRule: (rule) => writeRule(doc, { ...rule, updatedAt: now().toISOString() }),
    setRuleEnabled: (id, enabled) => setRuleEnabled(doc, id, enabled),
    deleteRule: (id) => deleteRule(doc, id, now().toISOString()),
    markRead: (id) => markNotificationRead(doc, memberId, id, now().toISOString()),
    record(effects) {
      doc.transact(() => {
        recordFirings(doc, writer, effects.firings)
        addNotifications(doc, effects.notifications)
        queueWebhooks(doc, effects.webhooks)
      })
    },
  }
}
