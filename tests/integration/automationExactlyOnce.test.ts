import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { addNotifications, queueWebhooks, readRules, readRuns, recordFirings } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC, entityDocName } from '../../src/crdt/docNames'
import { randomId } from '../../src/crdt/randomId'
import { writeRecordBatch } from '../../src/crdt/recordBatch'
import { createRecord, readLiveRows } from '../../src/crdt/recordDoc'
import { readSchema } from '../../src/crdt/schemaDoc'
import type { RecordChange } from '../../src/domain/rules/rule'
import { runRules, type RuleWrite } from '../../src/domain/rules/runRules'
import type { FieldValue } from '../../src/domain/schema'
import { ADMIN_TOKEN, api, connectClient, makeTempDir, startTestRelay, useTestScope, waitFor, type TestClient } from './relayTestKit'
import { closesToday } from './ruleFixtures'

const scope = useTestScope()
const DOCS = ['schema', AUTOMATION_DOC, entityDocName('leads'), entityDocName('activities'), entityDocName('deals')] as const

/**
 * One member's device as the app is, for what these tests need: the real y-websocket client per
 * document, and — as the app's writer does — the change-triggered rules run on the member's own
 * changes only, their plan applied in the same transaction as the change (records of other
 * documents in one transaction each), the firings under `<member>.<device>`.
 */
class Device {
  readonly docs = new Map<string, TestClient>()
  constructor(readonly memberId: string, private readonly token: string, private syncUrl: string) {
    for (const name of DOCS) this.docs.set(name, connectClient(syncUrl, name, token))
    scope.cleanups.push(() => { for (const c of this.docs.values()) c.destroy() })
  }

  doc(name: string): Y.Doc {
    return this.docs.get(name)!.doc
  }

  async synced(): Promise<void> {
    await Promise.all([...this.docs.values()].map((c) => c.synced))
  }

  offline(): void {
    for (const c of this.docs.values()) c.provider.disconnect()
  }

  online(): void {
    for (const c of this.docs.values()) c.provider.connect()
  }

  /** Creates a record as the member, with what the switched-on rules do about it, as the app writes it. */
  create(entityId: string, values: Record<string, FieldValue>): string {
    const schema = readSchema(this.doc('schema'))
    const rules = readRules(this.doc(AUTOMATION_DOC)).filter((r) => r.enabled && !r.deletedAt)
    const id = randomId()
    const now = new Date()
    const change: RecordChange = { entity: entityId, recordId: id, before: null, after: { id, values, createdAt: now.toISOString(), createdBy: this.memberId } }
    const rowsOf = (entity: string) => new Map(readLiveRows(this.doc(entityDocName(entity))).map((r) => [r.id, r]))
    const runs = readRuns(this.doc(AUTOMATION_DOC))
    const plan = runRules(rules, [change], {
      schema, now, writer: this.memberId, member: this.memberId,
      row: (entity, rowId) => rowsOf(entity).get(rowId),
      firedCount: (ruleId) => (runs.get(ruleId) ?? []).reduce((n, l) => n + l.count, 0),
      newId: () => randomId(),
    })
    const byEntity = new Map<string, RuleWrite[]>()
    for (const w of plan.writes) byEntity.set(w.entity, [...(byEntity.get(w.entity) ?? []), w])
    const batchOf = (writes: RuleWrite[]) => ({
      creates: writes.flatMap((w) => (w.kind === 'create' ? [{ id: w.id, values: w.values }] : [])),
      updates: writes.flatMap((w) => (w.kind === 'set' ? Object.entries(w.values).map(([fieldId, value]) => ({ recordId: w.recordId, fieldId, value })) : [])),
    })
    const own = this.doc(entityDocName(entityId))
    own.transact(() => {
      createRecord(own, values, { id, createdBy: this.memberId, now }, null)
      const writes = byEntity.get(entityId)
      if (writes) writeRecordBatch(own, batchOf(writes), this.memberId, null, now)
    })
    for (const [entity, writes] of byEntity) if (entity !== entityId) writeRecordBatch(this.doc(entityDocName(entity)), batchOf(writes), this.memberId, null, now)
    const automation = this.doc(AUTOMATION_DOC)
    automation.transact(() => {
      recordFirings(automation, `${this.memberId}.device1`, plan.firings)
      addNotifications(automation, plan.notifications)
      queueWebhooks(automation, plan.webhooks)
    })
    return id
  }

  /** The activities this device has that relate to the record through `field`. */
  activitiesOf(field: string, recordId: string, subject: string): number {
    return readLiveRows(this.doc(entityDocName('activities'))).filter((r) => r.values[`activities.${field}`] === recordId && r.values['activities.subject'] === subject).length
  }
}

async function team(options: { dataDir?: string; port?: number; rulesIntervalMs?: number | null } = {}) {
  const relay = await startTestRelay({ apiRateLimit: null, rulesIntervalMs: null, ...options })
  const members = ['Ann', 'Bob', 'Cy'].map((name) => createMember(relay.storage, { name, role: 'editor' }))
  const devices = members.map((m) => new Device(m.member.id, m.token, relay.syncUrl))
  await Promise.all(devices.map((d) => d.synced()))
  return { relay, devices, members }
}

const everyoneHas = async (devices: Device[], count: () => number[], what: string) => {
  await waitFor(() => count().every((n) => n > 0), what, 10_000)
  // a second copy would arrive with the first sync: give stragglers a moment, then count exactly
  await new Promise((r) => setTimeout(r, 300))
  expect(count()).toEqual(devices.map(() => 1))
}

describe('automation fires exactly once across clients (issue 16)', () => {
  it('a lead made on an offline client: one call, however the three clients sync', async () => {
    const { relay, devices } = await team()
    scope.cleanups.push(() => relay.close())
    expect((await api(relay.url, '/rules/call-new-leads', { method: 'PATCH', body: { enabled: true } })).status).toBe(200)
    await waitFor(() => devices.every((d) => readRules(d.doc(AUTOMATION_DOC)).find((r) => r.id === 'call-new-leads')?.enabled === true), 'the rule on every device')
    const [ann, bob, cy] = devices as [Device, Device, Device]
    bob.offline()
    cy.offline()
    const leadId = bob.create('leads', { 'leads.title': 'Offline lead', 'leads.owner': bob.memberId })
    expect(bob.activitiesOf('related_lead', leadId, 'Call the customer')).toBe(1)
    // Cy comes back first (having nothing), then Bob with the lead and its call
    cy.online()
    await cy.synced()
    bob.online()
    await everyoneHas(devices, () => devices.map((d) => d.activitiesOf('related_lead', leadId, 'Call the customer')), 'the call on every device')
    expect(ann.activitiesOf('related_lead', leadId, 'Call the customer')).toBe(1)
    const stored = (await api(relay.url, '/activities?limit=200')).body.data.filter((a: { related_lead: string | null }) => a.related_lead === leadId)
    expect(stored).toHaveLength(1)
    // logged once, by the writer; the relay ran nothing on what it received
    await waitFor(() => readRuns(ann.doc(AUTOMATION_DOC)).get('call-new-leads')?.length === 1, 'the log synced')
    expect((await api(relay.url, '/rules/call-new-leads')).body.runs.count).toBe(1)
  })

  it('a time-based rule with the relay stopped and started again between the trigger and the pass: one task on every client', async () => {
    const dataDir = makeTempDir()
    const first = await team({ dataDir })
    const port = first.relay.port
    const admin = connectClient(first.relay.syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
    scope.cleanups.push(() => admin.destroy())
    await admin.synced
    expect((await api(first.relay.url, '/rules', { method: 'POST', body: { ...closesToday, trigger: { ...closesToday.trigger, field: 'close_date' }, createdAt: undefined, createdBy: undefined } })).status).toBe(201)
    const [, bob, cy] = first.devices as [Device, Device, Device]
    await waitFor(() => readRules(bob.doc(AUTOMATION_DOC)).some((r) => r.id === 'closes-today'), 'the rule on Bob\'s device')
    bob.offline()
    cy.offline()
    const dealId = bob.create('deals', { 'deals.title': 'Closing deal', 'deals.close_date': new Date().toISOString().slice(0, 10), 'deals.owner': bob.memberId })
    bob.online()
    await waitFor(() => first.relay.storage.loadDocument(entityDocName('deals')).some((u) => Buffer.from(u).includes(Buffer.from(dealId))), 'the deal stored')
    await first.relay.close()

    // started again on the same port: the devices reconnect by themselves; the pass at start fires
    const relay = await startTestRelay({ dataDir, port, apiRateLimit: null, rulesIntervalMs: 3_600_000 })
    scope.cleanups.push(() => relay.close())
    cy.online()
    await everyoneHas(first.devices, () => first.devices.map((d) => d.activitiesOf('related_deal', dealId, 'Close it today')), 'the task on every device')
    expect(await relay.automation.timed.run()).toMatchObject({ fired: 0 })
    expect(first.devices.map((d) => d.activitiesOf('related_deal', dealId, 'Close it today'))).toEqual([1, 1, 1])
  })

  it('a lead created through the API, posted twice with one Idempotency-Key: one call on every client, the offline ones too', async () => {
    const { relay, devices, members } = await team()
    scope.cleanups.push(() => relay.close())
    expect((await api(relay.url, '/rules/call-new-leads', { method: 'PATCH', body: { enabled: true } })).status).toBe(200)
    const [, bob, cy] = devices as [Device, Device, Device]
    bob.offline()
    cy.offline()
    const post = () => fetch(`${relay.url}/api/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0]!.token}`, 'content-type': 'application/json', 'idempotency-key': 'web-shop-17' },
      body: JSON.stringify({ title: 'API lead', owner: members[0]!.member.id }),
    }).then((r) => r.json())
    const [one, two] = await Promise.all([post(), post()])
    expect(two.id).toBe(one.id)
    bob.online()
    cy.online()
    await everyoneHas(devices, () => devices.map((d) => d.activitiesOf('related_lead', one.id, 'Call the customer')), 'the call on every device')
  })
})
