import { expect, test } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { defaultPipeline } from '../pipelines/pipeline'
import { stageChoices } from '../pipelines/stageChoices'
import type { Row } from '../schema'
import { relatedRowDetail } from './relatedRowDetail'

const ctx = { locale: 'en-US', timeZone: 'UTC' }
const row = (values: Row['values']): Row => ({ id: 'r', values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm' })

test('an activity: its type, due time and Done, before any picker detail', () => {
  const activities = defaultSchema().entities.find((e) => e.key === 'activities')!
  const detail = relatedRowDetail(activities, row({ 'activities.subject': 'Call', 'activities.type': 'call', 'activities.due': '2026-12-06T14:00:00.000Z', 'activities.done': true }), ctx, 'Owner Ann')
  expect(detail).toBe('call · 12/6/2026, 2:00 PM · Done')
  expect(relatedRowDetail(activities, row({ 'activities.type': 'call', 'activities.done': false }), ctx, 'Owner Ann')).toBe('call · Owner Ann')
})

test('a deal: its stage by name (not its pipeline) and amount', () => {
  const deals = defaultSchema().entities.find((e) => e.key === 'deals')!
  const stage = deals.fields.find((f) => f.key === 'stage')!
  stage.choices = stageChoices([defaultPipeline()])
  const detail = relatedRowDetail(deals, row({ 'deals.title': 'Rollout', 'deals.pipeline': 'sales', 'deals.stage': 'sales.new', 'deals.amount': { amount: 1200000, currency: 'EUR' } }), ctx, '')
  expect(detail).toBe('New · €12,000.00')
})

test('a contact without such fields: the picker detail alone', () => {
  const contacts = defaultSchema().entities.find((e) => e.key === 'contacts')!
  expect(relatedRowDetail(contacts, row({ 'contacts.last_name': 'Lee' }), ctx, 'ann@example.com · Acme GmbH')).toBe('ann@example.com · Acme GmbH')
})
