import { describe, expect, it } from 'vitest'
import { bulkDeleteQuestion, bulkEditChanges, bulkEditQuestion } from './bulkEdit'

const deals = { label: 'Deals', singular: 'Deal' }

describe('bulkEditQuestion', () => {
  it('names the field, the value and the count', () => {
    expect(bulkEditQuestion(deals, 'Stage', 'Won', 50, 'en-US')).toBe('Set Stage to Won on 50 deals?')
    expect(bulkEditQuestion(deals, 'Stage', 'Won', 1, 'en-US')).toBe('Set Stage to Won on 1 deal?')
    expect(bulkEditQuestion(deals, 'Owner', 'Ann', 1234, 'de-DE')).toBe('Set Owner to Ann on 1.234 deals?')
  })

  it('asks to clear when the value is empty', () => {
    expect(bulkEditQuestion(deals, 'Close date', ' ', 3, 'en-US')).toBe('Clear Close date on 3 deals?')
  })

  it('asks before a bulk delete with the count', () => {
    expect(bulkDeleteQuestion(deals, 50, 'en-US')).toBe('Delete 50 deals?')
  })
})

describe('bulkEditChanges', () => {
  it('sets the field (and what goes along) on every record, in slices, in order', () => {
    const ids = Array.from({ length: 5 }, (_, i) => `r${i}`)
    const slices = [...bulkEditChanges({ fieldId: 'stage', value: 'lost', recordIds: ids }, { reason: 'Price' }, 2)]
    expect(slices.map((s) => s.length)).toEqual([4, 4, 2])
    expect(slices.flat().filter((c) => c.fieldId === 'stage').map((c) => c.recordId)).toEqual(ids)
    expect(slices.flat().every((c) => (c.fieldId === 'stage' ? c.value === 'lost' : c.value === 'Price'))).toBe(true)
  })

  it('empties the field with null', () => {
    expect([...bulkEditChanges({ fieldId: 'phone', value: null, recordIds: ['a'] })]).toEqual([[{ recordId: 'a', fieldId: 'phone', value: null }]])
  })
})
