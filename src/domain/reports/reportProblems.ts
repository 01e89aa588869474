import { isRelativePeriod } from '../relativePeriod'
import { parseIsoDate } from '../calendarDate'
import type { ConditionField } from '../views/viewFilter'
import { isViewConditionList, type ViewCondition } from '../views/savedView'
import { DATE_BUCKETS, MEASURE_OPS, type ReportDefinition } from './reportDefinition'

export const REPORT_GROUPS_MAX = 2
export const REPORT_MEASURES_MAX = 12
const MEASURE_KEY = /^[a-z][a-z0-9_]{0,39}$/

/**
 * Why a report does not fit the fields its entity offers (reportFields), each problem naming the
 * part and the reason; empty when it does. A field removed since the report was saved is a
 * problem here, unlike a saved view's filter, because a report's groups and measures need it.
 */
export function reportProblems(def: ReportDefinition, fields: ReadonlyMap<string, ConditionField>): string[] {
  const problems: string[] = []
  const field = (id: string | undefined) => (id === undefined ? undefined : fields.get(id)?.field)
  const isDate = (id: string | undefined) => ['date', 'dateTime'].includes(field(id)?.type ?? '')
  const conditions = (what: string, list: ViewCondition[] | undefined) => {
    if (list === undefined) return
    if (!isViewConditionList(list)) { problems.push(`${what} are not a list of conditions { field, op, value?, from?, to? }`); return }
    for (const c of list) if (!field(c.field)) problems.push(`${what}: no field "${c.field}"`)
  }
  conditions('The filters', def.filters)
  if (def.groups.length > REPORT_GROUPS_MAX) problems.push(`A report groups by at most ${REPORT_GROUPS_MAX} fields, not ${def.groups.length}`)
  for (const g of def.groups) {
    if (!field(g.field)) problems.push(`Cannot group by "${g.field}": no such field`)
    else if (g.bucket !== undefined && (!isDate(g.field) || !DATE_BUCKETS.includes(g.bucket))) problems.push(`${field(g.field)!.label}: "${g.bucket}" is not a date bucket of a date field (${DATE_BUCKETS.join(', ')})`)
  }
  if (def.measures.length === 0 || def.measures.length > REPORT_MEASURES_MAX) problems.push(`A report has 1 to ${REPORT_MEASURES_MAX} measures`)
  const keys = new Set<string>()
  for (const m of def.measures) {
    if (!MEASURE_KEY.test(m.key) || keys.has(m.key)) problems.push(`"${m.key}" is not a unique snake_case measure key`)
    keys.add(m.key)
    if (!MEASURE_OPS.includes(m.op)) { problems.push(`${m.label}: "${m.op}" is not a measure (${MEASURE_OPS.join(', ')})`); continue }
    if (m.op !== 'count' && m.op !== 'rate' && !(m.op === 'share' && m.field === undefined)) {
      const type = field(m.field)?.type
      if (type !== 'number' && type !== 'money') problems.push(`${m.label}: ${m.op} needs a number or money field${m.field ? `, not "${m.field}"` : ''}`)
    }
    if (m.weight !== undefined && field(m.weight)?.type !== 'number') problems.push(`${m.label}: the weight "${m.weight}" is not a number field`)
    if (m.date !== undefined && !isDate(m.date)) problems.push(`${m.label}: "${m.date}" is not a date field`)
    conditions(`${m.label}'s conditions`, m.where)
    conditions(`${m.label}'s records counted`, m.of)
  }
  if (def.period) {
    if (!isDate(def.period.field)) problems.push(`The period's field "${def.period.field}" is not a date field`)
    if ('relative' in def.period) {
      if (!isRelativePeriod(def.period.relative)) problems.push(`"${def.period.relative}" is not a period (thisMonth, lastQuarter, last30Days, …)`)
    } else {
      for (const d of [def.period.from, def.period.to]) if (d !== undefined && !parseIsoDate(d)) problems.push(`The period's "${d}" is not a YYYY-MM-DD date`)
    }
  }
  if (def.sort && (!Number.isInteger(def.sort.measure) || !def.measures[def.sort.measure])) problems.push(`The sort names measure ${def.sort.measure}, which the report lacks`)
  if (def.limit !== undefined && (!Number.isInteger(def.limit) || def.limit < 1)) problems.push(`Top ${def.limit} is not a positive whole number`)
  return problems
}
