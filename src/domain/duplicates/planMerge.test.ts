import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type FieldValue, type Row } from '../schema'
import { mergedInto, survivorOf } from './mergeNotes'
import { MergeError, planMerge, type MergeInput } from './planMerge'

const schema = defaultSchema()
const contacts = findEntity(schema, 'contacts')!

const row = (id: string, values: Record<string, FieldValue>, extra: Partial<Row> = {}): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm1', ...extra })

function workspace(): Record<string, Row[]> {
  return {
    contacts: [
      row('keep', { 'contacts.first_name': 'Ann', 'contacts.last_name': 'Lee', 'contacts.email': 'ann@example.com' }),
      row('dup', { 'contacts.first_name': 'Annie', 'contacts.last_name': 'Lee', 'contacts.email': 'ann@example.com', 'contacts.phone': '+4930123456' }),
      row('other', { 'contacts.last_name': 'Stone' }),
    ],
    deals: [
      row('d1', { 'deals.title': 'Both', 'deals.contacts': ['keep', 'dup', 'other'] }),
      row('d2', { 'deals.title': 'Dup only', 'deals.contacts': ['dup'] }),
      row('d3', { 'deals.title': 'Untouched', 'deals.contacts': ['other'] }),
    ],
    activities: [
      row('a1', { 'activities.subject': 'Call', 'activities.related': 'dup' }),
      row('a2', { 'activities.subject': 'In the trash', 'activities.related': 'dup' }, { deletedAt: '2026-02-01T00:00:00Z' }),
      row('a3', { 'activities.subject': 'Other', 'activities.related': 'other' }),
    ],
    leads: [row('l1', { 'leads.title': 'Converted', 'leads.converted_contact': 'dup' })],
  }
}

const input = (over: Partial<MergeInput> = {}): MergeInput => {
  const rows = workspace()
  return { schema, entity: contacts, survivor: 'keep', others: ['dup'], values: {}, rowsOf: (id) => rows[id] ?? [], by: 'm1', at: '2026-03-01T10:00:00Z', ...over }
}

describe('planMerge', () => {
  it('re-points every link to the others, in every list and field kind, and counts the records moved', () => {
    const plan = planMerge(input())
    expect(plan.links.get('deals')).toEqual([
      { recordId: 'd1', fieldId: 'deals.contacts', value: ['keep', 'other'] },
      { recordId: 'd2', fieldId: 'deals.contacts', value: ['keep'] },
    ])
    expect(plan.links.get('activities')).toEqual([
      { recordId: 'a1', fieldId: 'activities.related', value: 'keep' },
      { recordId: 'a2', fieldId: 'activities.related', value: 'keep' },
    ])
    expect(plan.links.get('leads')).toEqual([{ recordId: 'l1', fieldId: 'leads.converted_contact', value: 'keep' }])
    expect(plan.moved).toEqual({ deals: 2, activities: 2, leads: 1 })
    expect(plan.trash).toEqual(['dup'])
  })

  it('gives the survivor the chosen values and both records a note of the merge', () => {
    const plan = planMerge(input({ values: { 'contacts.first_name': 'Annie', 'contacts.phone': '+4930123456', 'contacts.last_name': 'Lee' } }))
    const note = { survivor: 'keep', at: '2026-03-01T10:00:00Z', by: 'm1' }
    expect(plan.notes).toEqual([
      { recordId: 'keep', fieldId: 'contacts.first_name', value: 'Annie' },
      { recordId: 'keep', fieldId: 'contacts.phone', value: '+4930123456' },
      { recordId: 'keep', fieldId: 'merged@dup', value: note },
      { recordId: 'dup', fieldId: 'merged@dup', value: note },
    ])
    const survivor = row('keep', Object.fromEntries(plan.notes.filter((c) => c.recordId === 'keep').map((c) => [c.fieldId, c.value])))
    expect(mergedInto(survivor)).toEqual([{ id: 'dup', note }])
    expect(survivorOf(row('dup', { 'merged@dup': note as unknown as FieldValue }))).toBe('keep')
  })

  it('refuses with the path of what is wrong', () => {
    const refusal = (over: Partial<MergeInput>) => {
      try {
        planMerge(input(over))
      } catch (error) {
        if (error instanceof MergeError) return { field: error.field, status: error.status }
        throw error
      }
      return null
    }
    expect(refusal({ survivor: 'nope' })).toEqual({ field: 'survivor', status: 404 })
    expect(refusal({ others: [] })).toEqual({ field: 'others', status: 422 })
    expect(refusal({ others: ['dup', 'keep'] })).toEqual({ field: 'others[1]', status: 422 })
    expect(refusal({ others: ['dup', 'dup'] })).toEqual({ field: 'others[1]', status: 422 })
    expect(refusal({ others: ['gone'] })).toEqual({ field: 'others[0]', status: 404 })
    expect(refusal({ values: { 'deals.title': 'x' } })).toEqual({ field: 'values.deals.title', status: 422 })
  })
})
