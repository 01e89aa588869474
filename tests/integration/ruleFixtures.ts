import type { Rule } from '../../src/domain/rules/rule'

/** A time-based rule: a deal whose close date is today gets a task for its owner. */
export const closesToday: Rule = {
  id: 'closes-today', name: 'Deals closing today', enabled: true,
  trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 0 },
  conditions: [],
  actions: [{ kind: 'createActivity', activityType: 'task', subject: 'Close it today', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
  createdAt: '2026-12-06T00:00:00.000Z', createdBy: 'admin',
}
