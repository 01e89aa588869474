import { describe, expect, it } from 'vitest'
import { makeCompactEntityStore, type CompactEntityDoc } from '../crdt/compactEntityStore'
import { CompactRecordStore, type LocalChange } from '../crdt/compactRecordStore'
import type { EntityStore } from '../crdt/entityStore'
import { ruleTestSchema, testRule } from '../domain/rules/rules.testkit'
import type { Rule } from '../domain/rules/rule'
import type { RowPatch } from '../domain/schema'
import type { LinkedStep } from './linkedUndo'
import { RuleWriter, type RuleEffects } from './ruleWriter'

/** An entity document in memory, as the worker's CompactSyncedDoc holds one (commits kept, remote updates applied by `receive`). */
class MemoryDoc implements CompactEntityDoc {
  readonly store = new CompactRecordStore()
  readonly committed: Uint8Array[] = []
  private listeners = new Set<(patch: RowPatch) => void>()
  commit(change: LocalChange): void { this.committed.push(change.update) }
  onRemotePatch(listener: (patch: RowPatch) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  receive(update: Uint8Array): void {
    const patch = this.store.applyUpdate(update)
    this.listeners.forEach((l) => l(patch))
  }
}

const schema = ruleTestSchema()
const NOW = new Date('2026-12-06T10:00:00.000Z')

const callNewLeads = (o: Partial<Rule> = {}) => testRule({
  trigger: { kind: 'created', entity: 'leads' },
  actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
  ...o,
})

function workspace(rules: Rule[], member = 'ann') {
  const docs = new Map<string, MemoryDoc>()
  const stores = new Map<string, EntityStore>()
  for (const id of ['leads', 'activities', 'deals']) {
    const doc = new MemoryDoc()
    docs.set(id, doc)
    stores.set(id, makeCompactEntityStore(doc, id, member))
  }
  const effects: RuleEffects[] = []
  const writer = new RuleWriter({ memberId: member, store: (id) => stores.get(id), effects: (e) => effects.push(e), now: () => NOW })
  writer.setRules({ rules, schema, firedCounts: {} })
  return { writer, stores, docs, effects, store: (id: string) => stores.get(id)! }
}

const activitiesOf = (store: EntityStore) => store.rows().map((r) => r.values)

describe('RuleWriter: the member\'s own writes run the rules in the same write', () => {
  it('a lead created → its owner\'s call in the same go; one undo in the leads takes both back, one redo brings both', () => {
    const { writer, store, effects } = workspace([callNewLeads({ id: 'call-new-leads' })])
    writer.apply('leads', { op: 'create', id: 'lead1', values: { 'leads.title': 'Office fit-out', 'leads.owner': 'bob' } })
    expect(store('leads').row('lead1')?.values['leads.title']).toBe('Office fit-out')
    expect(activitiesOf(store('activities'))).toEqual([expect.objectContaining({
      'activities.type': 'call', 'activities.subject': 'Call the customer', 'activities.owner': 'bob', 'activities.related_lead': 'lead1',
      'activities.due': '2026-12-06T11:00:00.000Z', 'activities.done': false,
    })])
    expect(effects).toEqual([{ firings: [expect.objectContaining({ ruleId: 'call-new-leads', entity: 'leads', recordId: 'lead1' })], notifications: [], webhooks: [] }])
    expect(effects[0]!.firings[0]!.error).toBeUndefined()

    writer.apply('leads', { op: 'undo' })
    expect(store('leads').rows()).toEqual([])
    expect(store('activities').rows()).toEqual([])
    writer.apply('leads', { op: 'redo' })
    expect(store('leads').rows()).toHaveLength(1)
    expect(store('activities').rows()).toHaveLength(1)
    // the same group from the other list
    writer.apply('activities', { op: 'undo' })
    expect(store('leads').rows()).toEqual([])
    expect(store('activities').rows()).toEqual([])
  })

  it('a rule that sets a field of the edited record is in the edit\'s own step: one undo, one update stored', () => {
    const rule = testRule({
      trigger: { kind: 'fieldChanged', entity: 'leads', field: 'leads.status', to: 'Qualified' },
      actions: [{ kind: 'setField', field: 'leads.source', value: 'Referral' }],
    })
    const { writer, store, docs } = workspace([rule])
    writer.apply('leads', { op: 'create', id: 'lead1', values: { 'leads.title': 'A' } })
    const updates = docs.get('leads')!.committed.length
    writer.apply('leads', { op: 'update', changes: [{ recordId: 'lead1', fieldId: 'leads.status', value: 'Qualified' }] })
    expect(store('leads').row('lead1')?.values).toMatchObject({ 'leads.status': 'Qualified', 'leads.source': 'Referral' })
    expect(docs.get('leads')!.committed.length).toBe(updates + 1)
    writer.apply('leads', { op: 'undo' })
    expect(store('leads').row('lead1')?.values).toEqual({ 'leads.title': 'A' })
  })

  it('a call on a lead marked done moves the deal the lead was converted into', () => {
    const rule = testRule({ trigger: { kind: 'activityCompleted', activityType: 'call' }, actions: [{ kind: 'moveStage', stage: 'sales.qualified' }] })
    const { writer, store } = workspace([callNewLeads(), rule])
    writer.apply('leads', { op: 'create', id: 'lead1', values: { 'leads.title': 'Office fit-out' } })
    const call = store('activities').rows()[0]!
    expect(call.values['activities.owner']).toBe('ann')
    writer.apply('deals', { op: 'create', id: 'deal1', values: { 'deals.title': 'Office fit-out', 'deals.stage': 'sales.new' } })
    writer.apply('leads', { op: 'update', changes: [{ recordId: 'lead1', fieldId: 'leads.converted_deal', value: 'deal1' }, { recordId: 'lead1', fieldId: 'leads.status', value: 'Converted' }] })
    writer.apply('activities', { op: 'update', changes: [{ recordId: call.id, fieldId: 'activities.done', value: true }] })
    expect(store('deals').row('deal1')?.values['deals.stage']).toBe('sales.qualified')
  })

  it('a call marked done moves the deal it relates to, with the stage change entry the grid writes', () => {
    const rule = testRule({ trigger: { kind: 'activityCompleted', activityType: 'call' }, actions: [{ kind: 'moveStage', stage: 'sales.qualified' }] })
    const { writer, store } = workspace([rule])
    writer.apply('deals', { op: 'create', id: 'deal1', values: { 'deals.title': 'Office fit-out', 'deals.stage': 'sales.new' } })
    writer.apply('activities', { op: 'create', id: 'call1', values: { 'activities.type': 'call', 'activities.subject': 'Call', 'activities.related_deal': 'deal1' } })
    expect(store('deals').row('deal1')?.values['deals.stage']).toBe('sales.new')
    writer.apply('activities', { op: 'update', changes: [{ recordId: 'call1', fieldId: 'activities.done', value: true }] })
    const deal = store('deals').row('deal1')!
    expect(deal.values['deals.stage']).toBe('sales.qualified')
    const entries = Object.entries(deal.values).filter(([k]) => k.startsWith('stage@'))
    expect(entries).toEqual([[expect.any(String), { from: 'sales.new', to: 'sales.qualified', at: NOW.toISOString(), by: 'ann' }]])
    // one Ctrl+Z in the activity's list: not done, and the deal back in New
    writer.apply('activities', { op: 'undo' })
    expect(store('activities').row('call1')?.values['activities.done']).toBeUndefined()
    expect(store('deals').row('deal1')?.values['deals.stage']).toBe('sales.new')
  })

  it('switched-off and deleted rules do nothing, and a rule-less write is the intent as it came', () => {
    const { writer, store, effects } = workspace([callNewLeads({ enabled: false }), callNewLeads({ deletedAt: '2026-12-02T00:00:00.000Z' })])
    expect(writer.neededEntities()).toEqual([])
    writer.apply('leads', { op: 'create', id: 'lead1', values: { 'leads.owner': 'bob' } })
    expect(store('activities').rows()).toEqual([])
    expect(effects).toEqual([])
  })

  it('an edit after the grouped change ends the group: undo then takes back only that list\'s own last step', () => {
    const { writer, store } = workspace([callNewLeads()])
    writer.apply('leads', { op: 'create', id: 'lead1', values: { 'leads.owner': 'bob' } })
    writer.apply('activities', { op: 'update', changes: [{ recordId: store('activities').rows()[0]!.id, fieldId: 'activities.subject', value: 'Call Anna' }] })
    writer.apply('leads', { op: 'undo' })
    expect(store('leads').rows()).toEqual([])
    expect(activitiesOf(store('activities'))).toEqual([expect.objectContaining({ 'activities.subject': 'Call Anna' })])
  })

  it('a change written in several batches joined to one undo group (an import): one undo takes back every batch and every rule\'s write, one redo brings all back (issue 18)', () => {
    const { writer, store } = workspace([callNewLeads()])
    const group: LinkedStep[] = []
    const batch = (from: number) => ({ op: 'batch' as const, batch: { creates: [0, 1, 2].map((i) => ({ id: `lead${from + i}`, values: { 'leads.title': `Lead ${from + i}`, 'leads.owner': 'bob' } })), updates: [] } })
    writer.apply('leads', { op: 'create', id: 'before', values: { 'leads.title': 'Made before' } })
    for (const from of [0, 3, 6]) writer.apply('leads', batch(from), null, group)
    expect(store('leads').count()).toBe(10)
    expect(store('activities').count()).toBe(10)
    writer.apply('leads', { op: 'undo' })
    expect(store('leads').rows().map((r) => r.id)).toEqual(['before'])
    expect(store('activities').count()).toBe(1)
    writer.apply('leads', { op: 'redo' })
    expect(store('leads').count()).toBe(10)
    expect(store('activities').count()).toBe(10)
    // an edit after the import is undone first, then the import whole
    writer.apply('leads', { op: 'update', changes: [{ recordId: 'lead4', fieldId: 'leads.title', value: 'Renamed' }] })
    writer.apply('leads', { op: 'undo' })
    expect(store('leads').row('lead4')?.values['leads.title']).toBe('Lead 4')
    expect(store('leads').count()).toBe(10)
    writer.apply('leads', { op: 'undo' })
    expect(store('leads').count()).toBe(1)
    expect(store('activities').count()).toBe(1)
  })

  it('a paste of new leads fires once per lead, with the pasted values; round robin takes turns from the logged count', () => {
    const rule = testRule({
      id: 'rr', trigger: { kind: 'created', entity: 'leads' },
      actions: [{ kind: 'createActivity', activityType: 'task', subject: 'Qualify', assignee: { kind: 'roundRobin', members: ['ann', 'bob', 'cleo'] }, dueIn: { amount: 1, unit: 'days' } }],
    })
    const { writer, store, effects } = workspace([])
    writer.setRules({ rules: [rule], schema, firedCounts: { rr: 4 } })
    writer.apply('leads', { op: 'batch', batch: { creates: [{ id: 'l1', values: {} }, { id: 'l2', values: {} }], updates: [{ recordId: 'l1', fieldId: 'leads.title', value: 'One' }] } })
    const owners = store('activities').rows().map((r) => [r.values['activities.related_lead'], r.values['activities.owner']])
    expect(owners.sort()).toEqual([['l1', 'bob'], ['l2', 'cleo']])
    expect(store('leads').row('l1')?.values['leads.title']).toBe('One')
    writer.apply('leads', { op: 'create', id: 'l3', values: {} })
    expect(store('activities').rows().find((r) => r.values['activities.related_lead'] === 'l3')?.values['activities.owner']).toBe('ann')
    expect(effects.flatMap((e) => e.firings).length).toBe(3)
  })

  it('a stored edit two tabs\' workers both apply (one left it, the other loads its list) makes one call once their documents meet', () => {
    const tabA = workspace([callNewLeads()])
    const tabB = workspace([callNewLeads()])
    const intent = { op: 'create' as const, id: 'lead1', values: { 'leads.title': 'Walk-in' } }
    tabA.writer.apply('leads', intent, 'leads:0000lr1xk2:000001:abcdef')
    tabB.writer.apply('leads', intent, 'leads:0000lr1xk2:000001:abcdef')
    const a = tabA.docs.get('activities')!
    const b = tabB.docs.get('activities')!
    a.receive(b.store.encodeStateAsUpdate(a.store.encodeStateVector()))
    expect(tabA.store('activities').rows()).toHaveLength(1)
    // an edit made with its document loaded (no key) gets fresh ids
    tabA.writer.apply('leads', { op: 'create', id: 'lead2', values: {} })
    tabB.writer.apply('leads', { op: 'create', id: 'lead2', values: {} })
    a.receive(b.store.encodeStateAsUpdate(a.store.encodeStateVector()))
    expect(tabA.store('activities').rows()).toHaveLength(3)
  })

  it('changes received from a teammate run no rules here', () => {
    const { writer, store, docs, effects } = workspace([callNewLeads()])
    const teammate = new MemoryDoc()
    makeCompactEntityStore(teammate, 'leads', 'bob').createRecord({ 'leads.owner': 'bob' }, 'lead9')
    docs.get('leads')!.receive(teammate.store.encodeStateAsUpdate())
    expect(store('leads').row('lead9')).toBeDefined()
    writer.apply('leads', { op: 'update', changes: [{ recordId: 'lead9', fieldId: 'leads.title', value: 'Seen' }] })
    expect(store('activities').rows()).toEqual([])
    expect(effects).toEqual([])
  })

  it('needs the lists its switched-on rules write to, before it applies an intent', () => {
    const moveDeal = testRule({ trigger: { kind: 'activityCompleted' }, actions: [{ kind: 'moveStage', stage: 'sales.won' }] })
    const { writer } = workspace([callNewLeads(), moveDeal])
    // a done call's deal may be the one its lead was converted into: the leads are read too
    expect(writer.neededEntities().sort()).toEqual(['activities', 'deals', 'leads'])
    writer.setRules({ rules: [callNewLeads()], schema, firedCounts: {} })
    expect(writer.neededEntities()).toEqual(['activities'])
  })
})
