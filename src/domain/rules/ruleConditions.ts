import type { EntityDef, FieldDef, Row } from '../schema'
import { compareTest, containsTest, emptyTest, equalsTest, holds, type CellTest } from '../views/viewFilter'
import type { RuleCondition } from './rule'
import { liveField, ownerFieldOf } from './ruleFields'

/** The field a condition reads: its own, or for `ownerIs` the record's owner unless it names another member field. */
export function conditionField(entity: EntityDef, condition: RuleCondition): FieldDef | undefined {
  const field = liveField(entity, condition.field)
  if (condition.op !== 'ownerIs') return field
  return field?.type === 'member' ? field : ownerFieldOf(entity)
}

/**
 * One condition as a test of its cell, with the comparisons saved views use (viewFilter.ts), so
 * "Amount greater than 1000" or "Close date is 2026-11-27" means the same in a rule as in a view.
 */
export function conditionCellTest(field: FieldDef, condition: RuleCondition): CellTest {
  const { op, value } = condition
  switch (op) {
    case 'equals': return equalsTest(field, value)
    case 'notEquals': {
      const equal = equalsTest(field, value)
      return (cell) => !equal(cell)
    }
    case 'contains': return containsTest(field, value)
    case 'greaterThan': case 'lessThan': return compareTest(field, op, value)
    case 'empty': return emptyTest(field)
    case 'notEmpty': {
      const empty = emptyTest(field)
      return (cell) => !empty(cell)
    }
    case 'inList': {
      const tests = (Array.isArray(value) ? value : [value]).map((item) => equalsTest(field, item))
      return (cell) => tests.some((test) => test(cell))
    }
    case 'ownerIs': return holds(String(value ?? ''))
  }
}

/**
 * A rule's conditions as one predicate over its record, all ANDed. A condition on a field the
 * entity no longer has makes the rule not fire (unlike a view, which shows more: a rule doing
 * more than it says could write to every record); validateRule names such a field.
 */
export function compileRuleConditions(entity: EntityDef, conditions: readonly RuleCondition[]): (row: Row) => boolean {
  const tests: { fieldId: string; test: CellTest }[] = []
  for (const condition of conditions) {
    const field = conditionField(entity, condition)
    if (!field) return () => false
    tests.push({ fieldId: field.id, test: conditionCellTest(field, condition) })
  }
  return (row) => {
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i]!
      if (!t.test(row.values[t.fieldId])) return false
    }
    return true
  }
}
