import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { Row } from '../schema'
import { nextActivities, nextActivityOf } from './nextActivity'

const schema = defaultSchema()
const activities = schema.entities.find((e) => e.id === 'activities')!
const deals = schema.entities.find((e) => e.id === 'deals')!
const row = (id: string, prefix: string, values: Record<string, unknown>): Row => ({ id, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v])) as Row['values'], createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1' })

describe('next activity', () => {
  const rows = [
    row('a1', 'activities', { subject: 'Call', due: '2026-05-03T10:00:00.000Z', related: 'k1' }),
    row('a2', 'activities', { subject: 'Done call', due: '2026-05-01T10:00:00.000Z', related: 'k1', done: true }),
    row('a3', 'activities', { subject: 'Meeting', due: '2026-05-02T09:00:00.000Z', related: 'k1', related_company: 'c1' }),
    row('a4', 'activities', { subject: 'No date', related: 'k1' }),
    row('a5', 'activities', { subject: 'Visit', due: '2026-04-01', related_company: 'c2' }),
  ]
  const index = nextActivities(activities, rows)
  it('picks the earliest not-done activity with a due time per linked record', () => {
    expect(index.get('k1')?.subject).toBe('Meeting')
    expect(index.get('c1')?.id).toBe('a3')
    expect(index.get('c2')).toEqual({ id: 'a5', subject: 'Visit', due: '2026-04-01T00:00:00.000Z' })
  })
  it('a deal reads its own activity first, else the earliest of its company and contacts', () => {
    const d = row('d1', 'deals', { company: 'c2', contacts: ['k1'] })
    expect(nextActivityOf(d, deals, index)?.subject).toBe('Visit')
    const own = new Map(index).set('d1', { id: 'a9', subject: 'Demo', due: '2027-01-01T00:00:00.000Z' })
    expect(nextActivityOf(d, deals, own)?.subject).toBe('Demo')
    expect(nextActivityOf(row('d2', 'deals', {}), deals, index)).toBeUndefined()
    expect(nextActivityOf(row('d3', 'deals', { contacts: ['k1'] }), deals, index)?.subject).toBe('Meeting')
  })
})
