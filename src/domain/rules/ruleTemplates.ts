import { defaultPipeline } from '../pipelines/pipeline'
import type { Rule } from './rule'

/*
 * Rules Kanso ships switched off (the relay seeds the missing ones into the `automation`
 * document by these fixed ids, never overwriting an admin's edit), in the order Settings lists
 * them. The first two are issue 16's chain: a lead arrives → a call task for its owner → the
 * call is logged as done → its deal moves on. Entities and fields are the default workspace's
 * ids; stages are the default Sales pipeline's, whose ids derive from the stage names.
 */

const SEEDED_AT = '2026-12-06T00:00:00.000Z'
const BY = 'kanso'

function salesStage(name: string): string {
  const stage = defaultPipeline().stages.find((s) => s.name === name)
  if (!stage) throw new Error(`the default pipeline has no stage "${name}"`)
  return stage.id
}

export const RULE_TEMPLATES: Rule[] = [
  {
    id: 'call-new-leads', name: 'Call new leads', enabled: false,
    trigger: { kind: 'created', entity: 'leads' },
    conditions: [],
    actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
    createdAt: SEEDED_AT, createdBy: BY,
  },
  {
    id: 'call-done-moves-deal', name: 'A done call qualifies its deal', enabled: false,
    trigger: { kind: 'activityCompleted', activityType: 'call' },
    conditions: [],
    actions: [{ kind: 'moveStage', stage: salesStage('Qualified') }],
    createdAt: SEEDED_AT, createdBy: BY,
  },
  {
    id: 'deal-won-notify-owner', name: 'Tell the owner when a deal is won', enabled: false,
    trigger: { kind: 'stageEntered', stage: salesStage('Won') },
    conditions: [],
    actions: [{ kind: 'notify', member: 'owner', message: 'Your deal was won' }],
    createdAt: SEEDED_AT, createdBy: BY,
  },
  {
    id: 'silent-deal-follow-up', name: 'Follow up deals gone quiet', enabled: false,
    trigger: { kind: 'noActivity', entity: 'deals', days: 14 },
    conditions: [{ field: 'deals.stage', op: 'notEquals', value: salesStage('Won') }, { field: 'deals.stage', op: 'notEquals', value: salesStage('Lost') }],
    actions: [{ kind: 'createActivity', activityType: 'task', subject: 'Follow up: no activity for 14 days', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } }],
    createdAt: SEEDED_AT, createdBy: BY,
  },
  {
    id: 'close-date-reminder', name: 'Remind the owner before a close date', enabled: false,
    trigger: { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 },
    conditions: [{ field: 'deals.stage', op: 'notEquals', value: salesStage('Won') }, { field: 'deals.stage', op: 'notEquals', value: salesStage('Lost') }],
    actions: [{ kind: 'notify', member: 'owner', message: 'A deal of yours closes in 3 days' }],
    createdAt: SEEDED_AT, createdBy: BY,
  },
]
