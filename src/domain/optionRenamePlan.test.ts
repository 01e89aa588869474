import { describe, expect, it } from 'vitest'
import { addOption, moveOption, OptionEditError, renameOption } from './editOptions'
import { optionRenamePlan } from './optionRenamePlan'
import type { FieldDef, Row } from './schema'

const select: FieldDef = { id: 'f1', key: 'stage', label: 'Stage', type: 'select', options: ['Lead', 'Won', 'Lost'], order: 0 }
const tags: FieldDef = { id: 'f2', key: 'tags', label: 'Tags', type: 'multiSelect', options: ['Hot', 'Cold', 'VIP'], order: 1 }
const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'm' })

describe('optionRenamePlan', () => {
  it('rewrites the selects that hold the option, in any spelling, and nothing else', () => {
    const rows = [row('a', { f1: 'Won' }), row('b', { f1: 'Lost' }), row('c', { f1: 'won ' }), row('d', {}), row('e', { f1: null })]
    expect(optionRenamePlan(select, rows, 'Won', 'Closed won')).toEqual([
      { recordId: 'a', fieldId: 'f1', value: 'Closed won' },
      { recordId: 'c', fieldId: 'f1', value: 'Closed won' },
    ])
  })

  it('replaces the option inside multi-selects in place, once', () => {
    const rows = [row('a', { f2: ['Cold', 'Hot'] }), row('b', { f2: ['VIP'] }), row('c', { f2: ['Hot', 'Warm'] })]
    expect(optionRenamePlan(tags, rows, 'Hot', 'Warm')).toEqual([
      { recordId: 'a', fieldId: 'f2', value: ['Cold', 'Warm'] },
      { recordId: 'c', fieldId: 'f2', value: ['Warm'] },
    ])
  })

  it('plans nothing for a change of case only when the values already read so', () => {
    expect(optionRenamePlan(select, [row('a', { f1: 'Won' })], 'Won', 'Won')).toEqual([])
    expect(optionRenamePlan(select, [row('a', { f1: 'Won' })], 'Won', 'WON')).toEqual([{ recordId: 'a', fieldId: 'f1', value: 'WON' }])
  })
})

describe('editing options', () => {
  it('adds at the end and refuses an empty name or a twin the parser could not tell apart', () => {
    expect(addOption(['Lead'], '  New   lead ')).toEqual(['Lead', 'New lead'])
    expect(() => addOption(['Lead'], '  ')).toThrow(OptionEditError)
    expect(() => addOption(['Lead'], 'LEAD')).toThrow('There is already an option “Lead”')
  })

  it('renames in place; a change of case of the same option is allowed', () => {
    expect(renameOption(['Lead', 'Won'], 'Won', 'Closed won')).toEqual({ options: ['Lead', 'Closed won'], label: 'Closed won' })
    expect(renameOption(['Lead', 'Won'], 'Won', 'WON').options).toEqual(['Lead', 'WON'])
    expect(() => renameOption(['Lead', 'Won'], 'Won', 'lead')).toThrow('There is already an option “Lead”')
    expect(() => renameOption(['Lead'], 'Gone', 'X')).toThrow(OptionEditError)
  })

  it('moves within the list', () => {
    expect(moveOption(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b'])
    expect(moveOption(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c'])
    expect(moveOption(['a', 'b', 'c'], 'a', 5)).toEqual(['b', 'c', 'a'])
  })
})
