import { describe, expect, it } from 'vitest'
import { everyTypeEntity, row } from '../api/apiRecordCodec.testkit'
import { recordEvents } from './webhookEvents'

const things = everyTypeEntity()
const deals = { ...everyTypeEntity(), key: 'deals' }

describe('recordEvents', () => {
  it('a new record is record.created with its filled fields from null, money in major units', () => {
    const after = row('r1', { title: 'Acme', amount: { amount: 123450, currency: 'EUR' } })
    expect(recordEvents(things, undefined, after)).toEqual([
      { event: 'record.created', recordId: 'r1', changes: { title: { from: null, to: 'Acme' }, amount: { from: null, to: { amount: 1234.5, currency: 'EUR' } } } },
    ])
  })

  it('a record map without its creation time yet is not created; its creation is', () => {
    const pending = row('r1', { title: 'Acme' }, '')
    expect(recordEvents(things, undefined, pending)).toEqual([])
    expect(recordEvents(things, pending, row('r1', { title: 'Acme' }))[0]?.event).toBe('record.created')
  })

  it('an edit is record.updated naming only the changed fields by API key, from → to', () => {
    const before = row('r1', { title: 'Acme', score: 1, tags: ['Hot'] })
    const after = row('r1', { title: 'Acme', score: 2, tags: ['Hot', 'VIP'] })
    expect(recordEvents(things, before, after)).toEqual([
      { event: 'record.updated', recordId: 'r1', changes: { score: { from: 1, to: 2 }, tags: { from: ['Hot'], to: ['Hot', 'VIP'] } } },
    ])
  })

  it('edits of removed fields or values left as they were fire nothing', () => {
    const before = row('r1', { title: 'Acme', old_field: 'a' })
    expect(recordEvents(things, before, row('r1', { title: 'Acme', old_field: 'b' }))).toEqual([])
    expect(recordEvents(things, before, row('r1', { title: 'Acme', old_field: 'a' }))).toEqual([])
  })

  it('a soft delete is record.deleted; edits while deleted fire nothing; a restore is record.updated of deleted_at', () => {
    const live = row('r1', { title: 'Acme' })
    const deleted = row('r1', { title: 'Acme' }, undefined, '2026-02-01T00:00:00.000Z')
    expect(recordEvents(things, live, deleted)).toEqual([{ event: 'record.deleted', recordId: 'r1', changes: { deleted_at: { from: null, to: '2026-02-01T00:00:00.000Z' } } }])
    expect(recordEvents(things, deleted, row('r1', { title: 'Other' }, undefined, '2026-02-01T00:00:00.000Z'))).toEqual([])
    expect(recordEvents(things, deleted, row('r1', { title: 'Acme 2' }))).toEqual([
      { event: 'record.updated', recordId: 'r1', changes: { title: { from: 'Acme', to: 'Acme 2' }, deleted_at: { from: '2026-02-01T00:00:00.000Z', to: null } } },
    ])
  })

  it('a deal whose stage changed is record.updated and deal.stage_changed; other entities and fields only record.updated', () => {
    const before = row('d1', { title: 'Big', stage: 'New' })
    const after = row('d1', { title: 'Big', stage: 'Won' })
    expect(recordEvents(deals, before, after).map((e) => e.event)).toEqual(['record.updated', 'deal.stage_changed'])
    expect(recordEvents(deals, before, after)[1]?.changes).toEqual({ stage: { from: 'New', to: 'Won' } })
    expect(recordEvents(things, before, after).map((e) => e.event)).toEqual(['record.updated'])
    expect(recordEvents(deals, before, row('d1', { title: 'Bigger', stage: 'New' })).map((e) => e.event)).toEqual(['record.updated'])
  })
})
