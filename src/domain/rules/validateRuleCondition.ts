import { parseIsoDate } from '../calendarDate'
import type { EntityDef, FieldDef, FieldValue } from '../schema'
import type { ConditionOp, RuleCondition } from './rule'
import { ownerFieldOf } from './ruleFields'
import { describeJson, fieldOf, fieldValueOf, isObject, memberOf, onlyKeys, type RuleProblems } from './ruleValueChecks'

export const CONDITION_OPS: readonly ConditionOp[] = ['equals', 'notEquals', 'contains', 'greaterThan', 'lessThan', 'empty', 'notEmpty', 'inList', 'ownerIs']
const IN_LIST_MAX = 100
const ORDERED = new Set(['number', 'money', 'date', 'dateTime'])

/** A condition's value is one item: one option of a multi-select, one record of a multiple link. */
function single(field: FieldDef): FieldDef {
  return { ...field, required: false, ...(field.type === 'multiSelect' ? { type: 'select' } : {}), ...(field.type === 'link' ? { multiple: false } : {}) }
}

/** A value to compare with: as the field stores it, or money as a number of major units (as a view's range). */
function comparedValue(p: RuleProblems, path: string, field: FieldDef, value: unknown): FieldValue | undefined {
  if (field.type === 'money' && typeof value === 'number') return Number.isFinite(value) ? value : p.add(path, `${value} is not a finite number`)
  if (field.type === 'checkbox' && typeof value !== 'boolean') return p.add(path, `${field.label}: expected true or false, got ${describeJson(value)}`)
  if (field.type === 'dateTime' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // a date stands for its whole day, as in a view's filter
    return parseIsoDate(value) ? value : p.add(path, `${field.label}: "${value}" is not a real date`)
  }
  const checked = fieldValueOf(p, path, single(field), value)
  if (checked === null) return p.add(path, `${field.label}: give a value (or use "empty")`)
  return checked
}

/** One condition on the triggering record's entity; undefined when refused (the problems say why). */
export function conditionOf(p: RuleProblems, path: string, entity: EntityDef, raw: unknown, members: ReadonlySet<string> | undefined): RuleCondition | undefined {
  if (!isObject(raw)) return p.add(path, `expected a condition like {"field": "source", "op": "equals", "value": "Website"}, got ${describeJson(raw)}`)
  onlyKeys(p, path, raw, ['field', 'op', 'value'])
  if (typeof raw.op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(raw.op)) return p.add(`${path}.op`, `expected one of ${CONDITION_OPS.join(', ')}, got ${describeJson(raw.op)}`)
  const op = raw.op as ConditionOp
  if (op === 'ownerIs') {
    const named = raw.field === undefined || raw.field === '' ? undefined : fieldOf(p, `${path}.field`, entity, raw.field)
    if (named && named.type !== 'member') return p.add(`${path}.field`, `${named.label} is not a member field`)
    const field = named ?? ownerFieldOf(entity)
    if (!field) return p.add(`${path}.field`, `${entity.key} have no owner field`)
    const member = memberOf(p, `${path}.value`, raw.value, members)
    return member === undefined ? undefined : { field: field.id, op, value: member }
  }
  const field = fieldOf(p, `${path}.field`, entity, raw.field)
  if (!field) return undefined
  const valuePath = `${path}.value`
  switch (op) {
    case 'empty': case 'notEmpty': return { field: field.id, op }
    case 'equals': case 'notEquals': {
      const value = comparedValue(p, valuePath, field, raw.value)
      return value === undefined ? undefined : { field: field.id, op, value }
    }
    case 'contains': {
      if (field.type === 'multiSelect' || field.type === 'link' || field.type === 'member') {
        const value = comparedValue(p, valuePath, field, raw.value)
        return value === undefined ? undefined : { field: field.id, op, value }
      }
      if (typeof raw.value !== 'string' || raw.value.trim() === '') return p.add(valuePath, `expected the text to look for, got ${describeJson(raw.value)}`)
      return { field: field.id, op, value: raw.value }
    }
    case 'greaterThan': case 'lessThan': {
      if (!ORDERED.has(field.type)) return p.add(`${path}.op`, `${field.label} has no order: ${op} compares numbers, money, dates and date-times`)
      const value = comparedValue(p, valuePath, field, raw.value)
      return value === undefined ? undefined : { field: field.id, op, value }
    }
    case 'inList': {
      if (!Array.isArray(raw.value) || raw.value.length === 0) return p.add(valuePath, `expected a list of values, got ${describeJson(raw.value)}`)
      if (raw.value.length > IN_LIST_MAX) return p.add(valuePath, `at most ${IN_LIST_MAX} values`)
      const values = raw.value.map((item, i) => comparedValue(p, `${valuePath}[${i}]`, field, item))
      if (values.some((v) => v === undefined)) return undefined
      return { field: field.id, op, value: values as string[] }
    }
    default: return undefined
  }
}
