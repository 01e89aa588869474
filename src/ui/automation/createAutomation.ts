import { createSignal, onCleanup, type Accessor } from 'solid-js'
import type { StoredNotification } from '../../crdt/automationDoc'
import type { Rule, RuleRunLog } from '../../domain/rules/rule'
import type { AutomationStore } from '../../sync/automationStore'

export interface Automation {
  readonly store: AutomationStore
  /** Live rules (soft-deleted ones left out), oldest first. */
  rules: Accessor<Rule[]>
  /** Every rule id ever stored, deleted ones too: a template whose rule was deleted is offered again as new. */
  storedIds: Accessor<Set<string>>
  /** Each rule's log, all writers added up. */
  runs: Accessor<Map<string, RuleRunLog>>
  /** The member's notifications, newest first. */
  notifications: Accessor<StoredNotification[]>
  unread: Accessor<StoredNotification[]>
}

/** The automation document as Solid signals, current after every change (local or a teammate's); call inside a reactive owner. */
export function createAutomation(store: AutomationStore): Automation {
  const read = () => {
    const all = store.rules()
    return { rules: all.filter((r) => !r.deletedAt), ids: new Set(all.map((r) => r.id)), runs: store.runs(), notifications: store.notifications() }
  }
  const first = read()
  const [rules, setRules] = createSignal(first.rules)
  const [storedIds, setStoredIds] = createSignal(first.ids)
  const [runs, setRuns] = createSignal(first.runs)
  const [notifications, setNotifications] = createSignal(first.notifications)
  onCleanup(store.subscribe(() => {
    const next = read()
    setRules(next.rules)
    setStoredIds(next.ids)
    setRuns(next.runs)
    setNotifications(next.notifications)
  }))
  return { store, rules, storedIds, runs, notifications, unread: () => notifications().filter((n) => !n.readAt) }
}
