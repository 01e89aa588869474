import type { EntityDef, FieldDef, FieldType } from '../schema'
import { liveFields } from '../schema'
import { isRelativePeriod } from '../relativePeriod'

/**
 * Saved views (issue 15) as plain data: a named filter, sort and column set of one entity's
 * list. The CRDT layer stores them in the `schema` document (src/crdt/viewDoc.ts), one entry per
 * property, so a rename and a new sort by two members merge; removal is a `deletedAt`.
 *
 * Who sees a view is part of its id, so the relay can enforce it from the id alone: a personal
 * view's id names its owner (`m.<member id>.<random>`) and only that member may write it; a
 * shared view's id is `s.<random>`, written by editors and admins, seen by everyone.
 */
export const VIEW_OPERATORS = ['equals', 'contains', 'empty', 'notEmpty', 'range', 'isMe', 'relative'] as const
export type ViewOperator = (typeof VIEW_OPERATORS)[number]

/**
 * One condition on a field (by field id, so a rename keeps the view). `value` is a stored value
 * (equals) or the text looked for (contains); `from`/`to` bound a range, both inclusive: numbers,
 * money in major units (the currency is not compared), dates as YYYY-MM-DD, date-times as a date
 * or an ISO instant. `relative` (dates and date-times) holds a RelativePeriod's name as `value`
 * ("thisMonth", "nextQuarter", "last14Days"), read in the workspace's time zone when the filter
 * runs, so a saved "this month" shows next month's records next month.
 */
export interface ViewCondition {
  field: string
  op: ViewOperator
  value?: unknown
  from?: number | string
  to?: number | string
}

export interface ViewSort { field: string; desc: boolean }

/** A column as the view shows it, in order; a field the list does not name is shown after these. */
export interface ViewColumn { field: string; hidden?: boolean; width?: number }

export interface SavedView {
  id: string
  /** The entity id whose list the view belongs to. */
  entity: string
  name: string
  /** All conditions must hold. */
  filters: ViewCondition[]
  sort: ViewSort[]
  columns: ViewColumn[]
  /** Position in the list of views (fractional, so a move writes only the moved view). */
  order: number
  createdAt: string
  deletedAt?: string
}

export const VIEW_NAME_MAX = 80
export const VIEW_FILTERS_MAX = 50
export const VIEW_SORTS_MAX = 10
export const VIEW_COLUMNS_MAX = 500
const COLUMN_WIDTH_MIN = 20
const COLUMN_WIDTH_MAX = 4000
const VALUE_TEXT_MAX = 1000

const MEMBER_ID = /^[a-z0-9]{1,40}$/
const RANDOM_PART = /^[A-Za-z0-9]{6,24}$/
// `$` starts a report's derived field ($createdAt, reportFields.ts)
const FIELD_ID = /^[$A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

/** Built-in views every list has; not stored. */
export const ALL_VIEW_ID = 'all'
export const MINE_VIEW_ID = 'mine'

/** The id of a new view: personal ids carry their owner (see the note above). */
export function newViewId(scope: { shared: true } | { shared: false; owner: string }, random: string): string {
  if (!RANDOM_PART.test(random)) throw new ViewError(`"${random}" is not a view id's random part`)
  if (scope.shared) return `s.${random}`
  if (!MEMBER_ID.test(scope.owner)) throw new ViewError(`"${scope.owner}" is not a member id`)
  return `m.${scope.owner}.${random}`
}

/** The shape of a stored view id; null when it is none. `owner` is null for a shared view. */
export function parseViewId(id: string): { owner: string | null } | null {
  const parts = id.split('.')
  if (parts.length === 2 && parts[0] === 's' && RANDOM_PART.test(parts[1]!)) return { owner: null }
  if (parts.length === 3 && parts[0] === 'm' && MEMBER_ID.test(parts[1]!) && RANDOM_PART.test(parts[2]!)) return { owner: parts[1]! }
  return null
}

export function isSharedView(view: Pick<SavedView, 'id'>): boolean {
  return parseViewId(view.id)?.owner === null
}

/** Whether `memberId` sees the view in its list: a live shared view, or a live one of their own. */
export function canSeeView(view: Pick<SavedView, 'id' | 'deletedAt'>, memberId: string): boolean {
  if (view.deletedAt) return false
  const parsed = parseViewId(view.id)
  return parsed !== null && (parsed.owner === null || parsed.owner === memberId)
}

/** Whether a member of `role` may write the view with this id (the relay's rule and the UI's). */
export function mayWriteView(viewId: string, member: { id: string; role: string }): boolean {
  const parsed = parseViewId(viewId)
  if (!parsed) return false
  if (parsed.owner !== null) return parsed.owner === member.id
  return member.role === 'admin' || member.role === 'editor'
}

/** The views of one entity a member sees, in order. */
export function viewsFor(views: readonly SavedView[], entityId: string, memberId: string): SavedView[] {
  return views.filter((v) => v.entity === entityId && canSeeView(v, memberId)).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

export class ViewError extends Error {}

/** The field "Mine" filters on: the entity's `owner` member field, else its first member field. */
export function ownerField(entity: EntityDef): FieldDef | undefined {
  const members = liveFields(entity).filter((f) => f.type === 'member')
  return members.find((f) => f.key === 'owner') ?? members[0]
}

/** "All" and, when the entity has an owner field, "Mine" (its owner is the current member). */
export function builtInViews(entity: EntityDef): SavedView[] {
  const all: SavedView = { id: ALL_VIEW_ID, entity: entity.id, name: 'All', filters: [], sort: [], columns: [], order: -2, createdAt: '' }
  const owner = ownerField(entity)
  if (!owner) return [all]
  return [all, { id: MINE_VIEW_ID, entity: entity.id, name: 'Mine', filters: [{ field: owner.id, op: 'isMe' }], sort: [], columns: [], order: -1, createdAt: '' }]
}

/** The operators a field of this type offers, in the order a menu lists them. */
export function operatorsFor(type: FieldType): ViewOperator[] {
  switch (type) {
    case 'number': case 'money': return ['equals', 'range', 'empty', 'notEmpty']
    case 'date': case 'dateTime': return ['equals', 'range', 'relative', 'empty', 'notEmpty']
    case 'checkbox': return ['equals']
    case 'member': return ['isMe', 'equals', 'empty', 'notEmpty']
    case 'select': return ['equals', 'empty', 'notEmpty']
    case 'multiSelect': case 'link': return ['contains', 'empty', 'notEmpty']
    default: return ['contains', 'equals', 'empty', 'notEmpty']
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isBound = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 40)
const isOperator = (v: unknown): v is ViewOperator => (VIEW_OPERATORS as readonly unknown[]).includes(v)

/** A condition's value: what a cell holds (JSON of bounded size), never an object but money. */
function isConditionValue(v: unknown): boolean {
  if (v === null || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (typeof v === 'string') return v.length <= VALUE_TEXT_MAX
  if (Array.isArray(v)) return v.length <= 100 && v.every((s) => typeof s === 'string' && s.length <= VALUE_TEXT_MAX)
  if (isPlainObject(v)) return Object.keys(v).length === 2 && typeof v.amount === 'number' && Number.isFinite(v.amount) && typeof v.currency === 'string' && v.currency.length <= 8
  return false
}

const CONDITION_KEYS = new Set(['field', 'op', 'value', 'from', 'to'])
function isCondition(v: unknown): boolean {
  if (!isPlainObject(v) || !Object.keys(v).every((k) => CONDITION_KEYS.has(k))) return false
  if (typeof v.field !== 'string' || !FIELD_ID.test(v.field) || !isOperator(v.op)) return false
  if ('value' in v && !isConditionValue(v.value)) return false
  if ('from' in v && !isBound(v.from)) return false
  if ('to' in v && !isBound(v.to)) return false
  return true
}

/**
 * The stored shapes, whatever the entity (the relay checks these; the fields themselves are
 * checked where the schema is at hand, see viewProblems).
 */
export function isViewConditionList(v: unknown): v is ViewCondition[] {
  return Array.isArray(v) && v.length <= VIEW_FILTERS_MAX && v.every(isCondition)
}

export function isViewSortList(v: unknown): v is ViewSort[] {
  return Array.isArray(v) && v.length <= VIEW_SORTS_MAX && v.every((s) =>
    isPlainObject(s) && Object.keys(s).length === 2 && typeof s.field === 'string' && FIELD_ID.test(s.field) && typeof s.desc === 'boolean')
}

export function isViewColumnList(v: unknown): v is ViewColumn[] {
  return Array.isArray(v) && v.length <= VIEW_COLUMNS_MAX && v.every((c) =>
    isPlainObject(c) && Object.keys(c).every((k) => k === 'field' || k === 'hidden' || k === 'width') &&
    typeof c.field === 'string' && FIELD_ID.test(c.field) &&
    (!('hidden' in c) || typeof c.hidden === 'boolean') &&
    (!('width' in c) || (typeof c.width === 'number' && c.width >= COLUMN_WIDTH_MIN && c.width <= COLUMN_WIDTH_MAX)))
}

export function isViewName(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0 && v.length <= VIEW_NAME_MAX
}

/** What a view's name, filters, sort and columns may be. */
export interface ViewSpec { name: string; filters: ViewCondition[]; sort: ViewSort[]; columns: ViewColumn[] }

/**
 * Why a view's content does not fit the entity (each problem names the field and the reason);
 * empty when it does. A field removed since the view was saved is not a problem here: the view
 * keeps working without it (compileViewFilter skips it).
 */
export function viewProblems(entity: EntityDef, spec: Partial<ViewSpec>): string[] {
  const problems: string[] = []
  const fields = new Map(entity.fields.map((f) => [f.id, f]))
  if (spec.name !== undefined && !isViewName(spec.name)) problems.push(`A view needs a name of 1 to ${VIEW_NAME_MAX} characters`)
  if (spec.filters !== undefined) {
    if (!isViewConditionList(spec.filters)) problems.push(`The filters are not a list of up to ${VIEW_FILTERS_MAX} conditions { field, op, value?, from?, to? }`)
    else for (const c of spec.filters) {
      const field = fields.get(c.field)
      if (!field) { problems.push(`${entity.label} has no field "${c.field}"`); continue }
      if (!operatorsFor(field.type).includes(c.op)) problems.push(`${field.label}: a ${field.type} field cannot be filtered with "${c.op}" (use ${operatorsFor(field.type).join(', ')})`)
      else if (c.op === 'range' && c.from === undefined && c.to === undefined) problems.push(`${field.label}: a range needs a from or a to`)
      else if ((c.op === 'equals' || c.op === 'contains') && (c.value === undefined || c.value === null || c.value === '')) problems.push(`${field.label}: "${c.op}" needs a value`)
      else if (c.op === 'relative' && !isRelativePeriod(c.value)) problems.push(`${field.label}: "${String(c.value)}" is not a period (today, thisMonth, nextQuarter, last14Days, …)`)
    }
  }
  if (spec.sort !== undefined) {
    if (!isViewSortList(spec.sort)) problems.push(`The sort is not a list of up to ${VIEW_SORTS_MAX} { field, desc }`)
    else for (const s of spec.sort) if (!fields.has(s.field)) problems.push(`Cannot sort by "${s.field}": ${entity.label} has no such field`)
  }
  if (spec.columns !== undefined && !isViewColumnList(spec.columns)) problems.push(`The columns are not a list of up to ${VIEW_COLUMNS_MAX} { field, hidden?, width? }`)
  return problems
}

/** Whether two specs show the same thing (the "unsaved changes" mark compares the grid's state with the view). */
export function sameViewContent(a: Omit<ViewSpec, 'name'>, b: Omit<ViewSpec, 'name'>): boolean {
  return JSON.stringify(a.filters) === JSON.stringify(b.filters) && JSON.stringify(a.sort) === JSON.stringify(b.sort)
    && JSON.stringify(a.columns) === JSON.stringify(b.columns)
}
