import { describe, expect, it } from 'vitest'
import type { EntityDef, FieldValue } from '../schema'
import type { RuleCondition } from './rule'
import { compileRuleConditions } from './ruleConditions'
import { testRow } from './rules.testkit'

const entity: EntityDef = {
  id: 'things', key: 'things', label: 'Things', singular: 'Thing', primaryField: 'name', order: 0,
  fields: [
    { id: 'name', key: 'name', label: 'Name', type: 'text', order: 0 },
    { id: 'n', key: 'n', label: 'N', type: 'number', order: 1 },
    { id: 'at', key: 'at', label: 'At', type: 'dateTime', order: 2 },
    { id: 'tags', key: 'tags', label: 'Tags', type: 'multiSelect', options: ['a', 'b', 'c'], order: 3 },
    { id: 'vip', key: 'vip', label: 'VIP', type: 'checkbox', order: 4 },
    { id: 'owner', key: 'owner', label: 'Owner', type: 'member', order: 5 },
    { id: 'old', key: 'old', label: 'Old', type: 'text', order: 6, deletedAt: '2026-01-01T00:00:00.000Z' },
  ],
}
const holds = (values: Record<string, FieldValue>, ...conditions: RuleCondition[]) => compileRuleConditions(entity, conditions)(testRow('t', values))

describe('compileRuleConditions', () => {
  it('greater and less than a date-time: an instant, or a whole day (after its last instant, before its first)', () => {
    const at = { at: '2026-12-06T23:59:00.000Z' }
    expect(holds(at, { field: 'at', op: 'greaterThan', value: '2026-12-06T12:00:00.000Z' })).toBe(true)
    expect(holds(at, { field: 'at', op: 'greaterThan', value: '2026-12-06' })).toBe(false)
    expect(holds(at, { field: 'at', op: 'greaterThan', value: '2026-12-05' })).toBe(true)
    expect(holds(at, { field: 'at', op: 'lessThan', value: '2026-12-07' })).toBe(true)
    expect(holds(at, { field: 'at', op: 'lessThan', value: '2026-12-06' })).toBe(false)
    expect(holds(at, { field: 'at', op: 'lessThan', value: 'soon' })).toBe(false)
    expect(holds({}, { field: 'at', op: 'lessThan', value: '2026-12-07' })).toBe(false)
  })

  it('numbers strictly; a text field has no order', () => {
    expect(holds({ n: 5 }, { field: 'n', op: 'greaterThan', value: 4 })).toBe(true)
    expect(holds({ n: 5 }, { field: 'n', op: 'greaterThan', value: 5 })).toBe(false)
    expect(holds({ n: 5 }, { field: 'n', op: 'lessThan', value: 6 })).toBe(true)
    expect(holds({ n: null }, { field: 'n', op: 'lessThan', value: 6 })).toBe(false)
    expect(holds({ name: 'b' }, { field: 'name', op: 'greaterThan', value: 'a' })).toBe(false)
  })

  it('lists: contains and in list on a multi-select; an unticked box is empty; a member field as the owner', () => {
    expect(holds({ tags: ['a', 'b'] }, { field: 'tags', op: 'contains', value: 'b' })).toBe(true)
    expect(holds({ tags: ['a', 'b'] }, { field: 'tags', op: 'inList', value: ['c', 'b'] })).toBe(true)
    expect(holds({ tags: ['a'] }, { field: 'tags', op: 'inList', value: ['c', 'b'] })).toBe(false)
    expect(holds({ vip: false }, { field: 'vip', op: 'empty' })).toBe(true)
    expect(holds({ vip: true }, { field: 'vip', op: 'equals', value: true })).toBe(true)
    expect(holds({ owner: 'ann' }, { field: 'owner', op: 'ownerIs', value: 'ann' })).toBe(true)
    expect(holds({ owner: 'ann' }, { field: 'owner', op: 'ownerIs', value: 'bob' })).toBe(false)
  })

  it('no conditions hold always; one on a removed field never', () => {
    expect(holds({})).toBe(true)
    expect(holds({ old: 'x' }, { field: 'old', op: 'notEmpty' })).toBe(false)
  })
})
