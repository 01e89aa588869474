import type { FieldType } from '../../../src/domain/schema'
import { isConflictMark } from '../../../src/domain/history/historyEntry'
import { fieldValueFits } from '../../../src/domain/fieldValueFits'
import { isOptionColor } from '../../../src/domain/optionColors'
import { FORM_TEXT_MAX, isHttpUrl } from '../../../src/domain/forms/webForm'
import { isStageChange, STAGE_CHANGE_KEY } from '../../../src/domain/pipelines/stageHistory'
import { DOCUMENT_ISSUE_KEY, DOCUMENT_NUMBER_KEY, isDocumentIssue, isDocumentNumber } from '../../../src/domain/deals/dealDocuments'
import { isStageKind, PIPELINE_NAME_MAX } from '../../../src/domain/pipelines/pipeline'
import { DISTINCT_NOTE_KEY, isDistinctNote, isMergeNote, MERGE_NOTE_KEY } from '../../../src/domain/duplicates/mergeNotes'
import { isRememberedMapping, isRememberedMappingKey } from '../../../src/domain/import/rememberedMapping'
import { WORKSPACE_DETAIL_KEYS, workspaceDetailProblem } from '../../../src/domain/workspace/workspaceDetails'
import { isViewColumnList, isViewConditionList, isViewName, isViewSortList, mayWriteView, parseViewId } from '../../../src/domain/views/savedView'
import { isReportChart, isReportSpec, isTileValue, isReportRef, TILE_PREFIX } from '../../../src/domain/reports/savedReport'

/*
 * What may sit where in a document, as roles. An item's role comes from where it sits (a root
 * type, or the map of its parent item, under a key); its content must fit that role. Roles
 * are small numbers so that the relay's per-room index (rootItemIndex.ts) and the worker's
 * answer can carry them packed.
 */

/** An item whose place is not known (its chain ends in an item the relay does not have). */
export const ROLE_UNKNOWN = 0
/** entity-*: a record, `records[<record id>]`: a Y.Map. */
export const ROLE_RECORD = 1
/** entity-*: an entry of a record map: a JSON value under a field id or a `$` key. */
export const ROLE_RECORD_VALUE = 2
/** schema: `entities[<entity id>]`: a Y.Map. */
export const ROLE_ENTITY = 3
/** schema: an entry of an entity map (`key`, `label`, … or the `fields` map). */
export const ROLE_ENTITY_PROP = 4
/** schema: `fields[<field id>]`: a Y.Map. */
export const ROLE_FIELD = 5
/** schema: an entry of a field map (a FieldDef property). */
export const ROLE_FIELD_PROP = 6
/** schema: `workspace[<setting>]`: a WorkspaceSettings property (schemaDoc.setDefaultCountry). */
export const ROLE_WORKSPACE_PROP = 7
/** schema: `optionColors[<option>]` of a select field: a palette colour name (schemaDoc.setOptionColor). */
export const ROLE_OPTION_COLOR = 8

/** schema: `forms[<form id>]`: a Y.Map (src/crdt/formDoc.ts). */
export const ROLE_FORM = 9
/** schema: an entry of a form map (a WebForm property). */
export const ROLE_FORM_PROP = 10

/** schema: `pipelines[<pipeline id>]`: a Y.Map (src/crdt/pipelineDoc.ts). */
export const ROLE_PIPELINE = 11
/** schema: an entry of a pipeline map (`name`, `order`, `deletedAt` or the `stages` map). */
export const ROLE_PIPELINE_PROP = 12
/** schema: `stages[<stage id>]`: a Y.Map. */
export const ROLE_STAGE = 13
/** schema: an entry of a stage map (a Stage property). */
export const ROLE_STAGE_PROP = 14

/** schema: `views[<view id>]`: a Y.Map (src/crdt/viewDoc.ts). */
export const ROLE_VIEW = 15
/** schema: an entry of a view map; its key is `<view id>/<property>` (see SCHEMA_LAYOUT.childKey), so its owner is known. */
export const ROLE_VIEW_PROP = 16

/** schema: `reports[<report id>]`: a Y.Map (src/crdt/reportDoc.ts); its id is a view's (personal or shared). */
export const ROLE_REPORT = 22
/** schema: an entry of a report map; its key is `<report id>/<property>`, like a view's. */
export const ROLE_REPORT_PROP = 23
/** schema: `dashboards[<dashboard id>]`: a Y.Map; its id is a view's. */
export const ROLE_DASHBOARD = 24
/** schema: an entry of a dashboard map (`<dashboard id>/<property or tile.<report id>>`). */
export const ROLE_DASHBOARD_PROP = 25

/** Roles whose maps are owned like views: their id says who may write them (savedView.mayWriteView). */
const OWNED_MAPS: ReadonlyMap<number, string> = new Map([[ROLE_VIEW, 'view'], [ROLE_REPORT, 'report'], [ROLE_DASHBOARD, 'dashboard']])
const OWNED_PROPS: ReadonlyMap<number, number> = new Map([[ROLE_VIEW_PROP, ROLE_VIEW], [ROLE_REPORT_PROP, ROLE_REPORT], [ROLE_DASHBOARD_PROP, ROLE_DASHBOARD]])

/** The view, report or dashboard an item at (role, key) belongs to, and what it is; null for anything else or an unknown key. */
export function ownedIdOf(role: number, key: string | null): { id: string; what: string } | null {
  if (key === null) return null
  const what = OWNED_MAPS.get(role)
  if (what) return { id: key, what }
  const parent = OWNED_PROPS.get(role)
  return parent === undefined ? null : { id: key.slice(0, key.indexOf('/')), what: OWNED_MAPS.get(parent)! }
}

export function isOwnedRole(role: number): boolean {
  return OWNED_MAPS.has(role) || OWNED_PROPS.has(role)
}

/** An item's content as the rules see it. */
export type ContentKind =
  | { kind: 'map' }
  | { kind: 'type'; name: string }
  | { kind: 'json'; values: readonly unknown[] }
  | { kind: 'deleted' }
  | { kind: 'other'; name: string }

export interface DocumentLayout {
  /** Role of the items directly in the root type `name`; null when the document has no such root. */
  rootRole(name: string): number | null
  /** Role of the entries of a Y.Map item with `role` (and key, when known); null when it may hold none. */
  childRole(role: number, key: string | null): number | null
  /** Why `content` may not sit at `role` under `key` (null when it may). */
  contentProblem(role: number, key: string | null, content: ContentKind): string | null
  /** Where an item sits, for messages: `records["x"]`. */
  place(role: number, key: string | null): string
  /**
   * The key an entry of a map at (role, key) is known by, when the rules need more than its own
   * key (a view's property names its view, whose id says who may write it); absent: its own key.
   */
  childKey?(role: number, key: string | null, entryKey: string | null): string | null
}

const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/
/** What a field id looks like (`contacts.email`, `fAbC123xyz0`): the schema may not have it yet. */
const FIELD_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})$/
const MAX_META_LENGTH = 200
/**
 * The time of a key's last write (src/crdt/editStamp.ts), `$edited@<key>`. Writers stamp fields
 * and `$deletedAt` only, but a stamp of any key a record may hold (an `@`-entry such as
 * `document@<id>` too) is only a time: refusing it would close a client that stamped more.
 */
const EDIT_STAMP_KEY = /^\$edited@(?:\$deletedAt|(?:[a-z]+@)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/
/** A cell's mark of a value that lost to a racing write (historyEntry.ts), `conflict@<field id>`. */
const CONFLICT_MARK_KEY = /^conflict@[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

export function describeContent(content: ContentKind): string {
  switch (content.kind) {
    case 'map': return 'a Y.Map'
    case 'type': return `a ${content.name}`
    case 'deleted': return 'deleted content'
    case 'other': return content.name
    case 'json': {
      const value = content.values[content.values.length - 1]
      if (content.values.length !== 1) return `${content.values.length} values`
      if (value === null) return 'null'
      if (Array.isArray(value)) return 'a list'
      if (value instanceof Uint8Array) return 'binary data'
      return `a ${typeof value}`
    }
  }
}

/** True for what JSON can carry (Yjs' ContentAny also carries binary, undefined and bigints). */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 16) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1))
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return Object.values(value as object).every((v) => isJsonValue(v, depth + 1))
  return false
}

const quote = (key: string | null) => (key === null ? '[…]' : `[${JSON.stringify(key)}]`)

/** One JSON value (a map entry is one element) that `fits`; null when it does. */
function jsonProblem(content: ContentKind, expected: string, fits: (value: unknown) => boolean): string | null {
  if (content.kind === 'deleted') return null
  if (content.kind !== 'json' || content.values.length !== 1 || !isJsonValue(content.values[0]) || !fits(content.values[0])) {
    return `is ${describeContent(content)}, expected ${expected}`
  }
  return null
}

function mapProblem(content: ContentKind, expected: string): string | null {
  return content.kind === 'map' || content.kind === 'deleted' ? null : `is ${describeContent(content)}, expected ${expected}`
}

const isString = (v: unknown) => typeof v === 'string' && v.length <= MAX_META_LENGTH
const isInstant = (v: unknown) => typeof v === 'string' && ISO_INSTANT.test(v)
const anyValue = () => true

/** Who wrote an update: a connection, or the relay itself (writeServerUpdate), which alone may write what it assigns. */
export type LayoutWriter = 'client' | 'relay'

/**
 * `entity-<id>`: getMap('records'): record id → Y.Map { <field id>: JSON value, $createdAt,
 * $createdBy, $deletedAt }. `fields` are the entity's fields in the schema (empty when the
 * schema does not know the entity). A key the schema does not know is accepted when it has the
 * shape of a field id, with any JSON value: the field may have been added on another connection
 * (or offline) and its schema update not have reached the relay yet. `$` keys are `$createdAt`,
 * `$createdBy`, `$deletedAt`, `$deletedBy` (who deleted it, for the trash), `$purgedAt` (purged:
 * its other keys removed, recordDoc.purgeRecords) and the edit stamps.
 * A deal's stage changes sit beside its values as `stage@<change id>` entries (stageHistory.ts),
 * each a { from, to, at, by } object, so concurrent changes are all kept. Issued quotes and
 * invoices sit there as `document@<issue id>` entries (dealDocuments.ts); their numbers,
 * `number@<issue id>`, only the relay writes: it alone can count without two members who issue
 * offline taking the same number; so are the marks of values that lost a race, `conflict@<field
 * id>` (server/history), which members only remove. A merge of duplicates notes itself on the
 * survivor and the merged records as `merged@<merged record id>` → { survivor, at, by }, and "not
 * duplicates" as `distinct@<other record id>` → { at, by } (src/domain/duplicates/mergeNotes.ts).
 */
export function entityLayout(fields: ReadonlyMap<string, FieldType>, writer: LayoutWriter = 'client'): DocumentLayout {
  // Each field's check is made once per layout, not per item: this runs for every client update.
  const fieldChecks = new Map<string, { expected: string; fits: (value: unknown) => boolean }>()
  for (const [key, type] of fields) fieldChecks.set(key, { expected: `a value of a ${type} field`, fits: (v) => fieldValueFits(type, v) })
  return {
    rootRole: (name) => (name === 'records' ? ROLE_RECORD : null),
    childRole: (role) => (role === ROLE_RECORD ? ROLE_RECORD_VALUE : null),
    place: (role, key) => (role === ROLE_RECORD ? `records${quote(key)}` : `a record's entry${key === null ? '' : ` ${JSON.stringify(key)}`}`),
    contentProblem(role, key, content) {
      if (role === ROLE_RECORD) {
        if (key !== null && !RECORD_ID.test(key)) return 'is not a record id'
        return mapProblem(content, 'a record map')
      }
      if (role !== ROLE_RECORD_VALUE) return `is ${describeContent(content)} where nothing may be`
      // An overwrite names only the value it replaces, not its key: then any JSON value.
      if (key === null) return jsonProblem(content, 'a JSON value', anyValue)
      if (key === '$createdAt' || key === '$deletedAt' || key === '$purgedAt' || EDIT_STAMP_KEY.test(key)) return jsonProblem(content, 'an ISO date-time string', isInstant)
      if (key === '$createdBy' || key === '$deletedBy') return jsonProblem(content, 'a member id string', isString)
      if (STAGE_CHANGE_KEY.test(key)) return jsonProblem(content, 'a stage change { from, to, at, by }', isStageChange)
      if (DOCUMENT_ISSUE_KEY.test(key)) return jsonProblem(content, 'an issued document { kind, at, by, terms, valid_until }', isDocumentIssue)
      if (MERGE_NOTE_KEY.test(key)) return jsonProblem(content, 'a merge note { survivor, at, by }', isMergeNote)
      if (DISTINCT_NOTE_KEY.test(key)) return jsonProblem(content, 'a note of records that are not duplicates { at, by }', isDistinctNote)
      if (DOCUMENT_NUMBER_KEY.test(key)) {
        return writer === 'relay' ? jsonProblem(content, 'a document number { number, at }', isDocumentNumber) : 'is a number only the relay assigns'
      }
      if (CONFLICT_MARK_KEY.test(key)) {
        // a member picks a value (sets the cell) or dismisses the mark (removes it), never sets one
        return writer === 'relay' ? jsonProblem(content, 'a conflict mark { value, by, at }', isConflictMark) : 'is a conflict mark only the relay sets'
      }
      const field = fieldChecks.get(key)
      if (field) return jsonProblem(content, field.expected, field.fits)
      if (FIELD_ID.test(key)) return jsonProblem(content, 'a JSON value', anyValue)
      return 'is neither a field id nor a known $ key'
    },
  }
}

const ENTITY_PROPS: Record<string, (v: unknown) => boolean> = {
  key: isString,
  label: isString,
  singular: isString,
  primaryField: isString,
  order: (v) => typeof v === 'number',
}
const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
const FIELD_PROPS: Record<string, (v: unknown) => boolean> = {
  id: isString,
  key: isString,
  label: isString,
  type: isString,
  options: isStringList,
  linkEntity: isString,
  multiple: (v) => typeof v === 'boolean',
  required: (v) => typeof v === 'boolean',
  currency: isString,
  min: (v) => typeof v === 'number',
  max: (v) => typeof v === 'number',
  order: (v) => typeof v === 'number',
  deletedAt: isInstant,
  choicesFrom: (v) => v === 'pipelines' || v === 'stages',
}

const isPipelineName = (v: unknown) => typeof v === 'string' && v.length <= PIPELINE_NAME_MAX
const PIPELINE_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isPipelineName,
  order: (v) => typeof v === 'number' && Number.isFinite(v),
  deletedAt: isInstant,
}
const STAGE_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isPipelineName,
  order: (v) => typeof v === 'number' && Number.isFinite(v),
  probability: (v) => typeof v === 'number' && v >= 0 && v <= 100,
  kind: isStageKind,
  deletedAt: isInstant,
}

const WORKSPACE_PROPS: Record<string, (v: unknown) => boolean> = {
  defaultCountry: (v) => typeof v === 'string' && /^[A-Z]{2}$/.test(v),
  defaultCountrySource: (v) => v === 'admin' || v === 'locale' || v === 'relay',
  callsCreateLeadForUnknown: (v) => typeof v === 'boolean',
  // what quotes and invoices print (issue 14), by the same rules the setters check
  ...Object.fromEntries(WORKSPACE_DETAIL_KEYS.map((key) => [key, (v: unknown) => workspaceDetailProblem(key, v) === null])),
}

const isText = (v: unknown) => typeof v === 'string' && v.length <= FORM_TEXT_MAX
const isFormFieldList = (v: unknown) =>
  Array.isArray(v) && v.length <= 200 && v.every((f) =>
    typeof f === 'object' && f !== null && !Array.isArray(f) &&
    Object.keys(f).every((k) => k === 'key' || k === 'label' || k === 'required') &&
    isString((f as Record<string, unknown>).key) && isString((f as Record<string, unknown>).label) && typeof (f as Record<string, unknown>).required === 'boolean')
const FORM_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isString,
  fields: isFormFieldList,
  consentText: isText,
  thankYouText: isText,
  redirectUrl: (v) => v === '' || (typeof v === 'string' && isHttpUrl(v)),
  dedupe: (v) => typeof v === 'boolean',
  createdAt: isInstant,
  deletedAt: isInstant,
}

const VIEW_PROPS: Record<string, (v: unknown) => boolean> = {
  entity: isString,
  name: isViewName,
  filters: isViewConditionList,
  sort: isViewSortList,
  columns: isViewColumnList,
  order: (v) => typeof v === 'number' && Number.isFinite(v),
  createdAt: isInstant,
  deletedAt: isInstant,
}

const REPORT_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isViewName,
  chart: isReportChart,
  definition: isReportSpec,
  createdAt: isInstant,
  deletedAt: isInstant,
}

const DASHBOARD_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isViewName,
  createdAt: isInstant,
  deletedAt: isInstant,
}

/** Who writes a schema update: a member (their role and id decide what they may write), or anyone (the relay, indexing). */
export type SchemaWriter = { id: string; role: string } | null

/** Why `writer` may not write the view (report, dashboard) `viewId` (savedView.mayWriteView), or null. */
function viewWriteProblem(viewId: string, writer: SchemaWriter, what = 'view'): string | null {
  const parsed = parseViewId(viewId)
  if (!parsed) return `is not a ${what} id (s.<id> shared, m.<member id>.<id> personal)`
  if (!writer || mayWriteView(viewId, writer)) return null
  return parsed.owner === null ? `is a shared ${what}: editors and admins change those, not a ${writer.role}` : `is another member's personal ${what}`
}

/**
 * `schema`: see src/crdt/schemaDoc.ts, for one writer: viewers write their own personal views
 * only, editors and admins anything but other members' personal views. Keys are known here (the
 * relay keeps the whole, small, document) — except when a schema document beyond the load limit
 * was indexed by a worker, which keeps roles only: an overwrite of a view's property then cannot
 * name its view, and is let through for editors and admins (refused for viewers).
 */
export function schemaLayout(writer: SchemaWriter): DocumentLayout {
  const viewer = writer?.role === 'viewer'
  return {
    ...SCHEMA_LAYOUT,
    contentProblem(role, key, content) {
      if (isOwnedRole(role)) {
        const owned = ownedIdOf(role, key)
        if (owned === null) {
          if (viewer) return 'may not be written by a viewer (its view is not known)'
        } else {
          const problem = viewWriteProblem(owned.id, writer, owned.what)
          if (problem) return problem
        }
      } else if (viewer) {
        return 'may not be written by a viewer (viewers save their own views only)'
      }
      return SCHEMA_LAYOUT.contentProblem(role, key, content)
    },
  }
}

/** `schema` for any writer (see schemaLayout): the shapes only. */
export const SCHEMA_LAYOUT: DocumentLayout = {
  rootRole: (name) => (name === 'entities' ? ROLE_ENTITY : name === 'workspace' ? ROLE_WORKSPACE_PROP : name === 'forms' ? ROLE_FORM
    : name === 'pipelines' ? ROLE_PIPELINE : name === 'views' ? ROLE_VIEW : name === 'reports' ? ROLE_REPORT : name === 'dashboards' ? ROLE_DASHBOARD : null),
  childKey: (role, key, entryKey) => (OWNED_MAPS.has(role) && key !== null && entryKey !== null ? `${key}/${entryKey}` : entryKey),
  childRole(role, key) {
    if (role === ROLE_VIEW) return ROLE_VIEW_PROP
    if (role === ROLE_REPORT) return ROLE_REPORT_PROP
    if (role === ROLE_DASHBOARD) return ROLE_DASHBOARD_PROP
    if (role === ROLE_PIPELINE) return ROLE_PIPELINE_PROP
    if (role === ROLE_PIPELINE_PROP && key === 'stages') return ROLE_STAGE
    if (role === ROLE_STAGE) return ROLE_STAGE_PROP
    if (role === ROLE_ENTITY) return ROLE_ENTITY_PROP
    if (role === ROLE_FORM) return ROLE_FORM_PROP
    if (role === ROLE_ENTITY_PROP && key === 'fields') return ROLE_FIELD
    if (role === ROLE_FIELD) return ROLE_FIELD_PROP
    if (role === ROLE_FIELD_PROP && key === 'optionColors') return ROLE_OPTION_COLOR
    return null
  },
  place(role, key) {
    if (role === ROLE_ENTITY) return `entities${quote(key)}`
    if (role === ROLE_FIELD) return `fields${quote(key)}`
    if (role === ROLE_WORKSPACE_PROP) return `workspace${quote(key)}`
    if (role === ROLE_OPTION_COLOR) return `optionColors${quote(key)}`
    if (role === ROLE_FORM) return `forms${quote(key)}`
    if (role === ROLE_FORM_PROP) return `a form's entry${key === null ? '' : ` ${JSON.stringify(key)}`}`
    if (role === ROLE_PIPELINE) return `pipelines${quote(key)}`
    if (role === ROLE_PIPELINE_PROP) return `a pipeline's entry${key === null ? '' : ` ${JSON.stringify(key)}`}`
    if (role === ROLE_STAGE) return `stages${quote(key)}`
    if (role === ROLE_STAGE_PROP) return `a stage's entry${key === null ? '' : ` ${JSON.stringify(key)}`}`
    if (role === ROLE_VIEW) return `views${quote(key)}`
    if (role === ROLE_REPORT) return `reports${quote(key)}`
    if (role === ROLE_DASHBOARD) return `dashboards${quote(key)}`
    if (role === ROLE_REPORT_PROP || role === ROLE_DASHBOARD_PROP) {
      const root = role === ROLE_REPORT_PROP ? 'reports' : 'dashboards'
      return key === null ? `a ${root.slice(0, -1)}'s entry` : `${root}${quote(key.slice(0, key.indexOf('/')))}'s entry ${JSON.stringify(key.slice(key.indexOf('/') + 1))}`
    }
    if (role === ROLE_VIEW_PROP) return key === null ? 'a view\'s entry' : `views${quote(key.slice(0, key.indexOf('/')))}'s entry ${JSON.stringify(key.slice(key.indexOf('/') + 1))}`
    return `${role === ROLE_ENTITY_PROP ? 'an entity' : 'a field'}'s entry${key === null ? '' : ` ${JSON.stringify(key)}`}`
  },
  contentProblem(role, key, content) {
    if (role === ROLE_ENTITY) return mapProblem(content, 'an entity map')
    if (role === ROLE_FIELD) return mapProblem(content, 'a field map')
    if (role === ROLE_FORM) {
      if (key !== null && !RECORD_ID.test(key)) return 'is not a form id'
      return mapProblem(content, 'a form map')
    }
    if (role === ROLE_PIPELINE || role === ROLE_STAGE) {
      if (key !== null && !RECORD_ID.test(key.replace(/\./g, '_'))) return `is not a ${role === ROLE_PIPELINE ? 'pipeline' : 'stage'} id`
      return mapProblem(content, role === ROLE_PIPELINE ? 'a pipeline map' : 'a stage map')
    }
    if (role === ROLE_VIEW) return key !== null && !parseViewId(key) ? 'is not a view id' : mapProblem(content, 'a view map')
    if (role === ROLE_REPORT || role === ROLE_DASHBOARD) {
      const what = role === ROLE_REPORT ? 'report' : 'dashboard'
      return key !== null && !parseViewId(key) ? `is not a ${what} id` : mapProblem(content, `a ${what} map`)
    }
    if (role === ROLE_REPORT_PROP || role === ROLE_DASHBOARD_PROP) {
      if (key === null) return jsonProblem(content, 'a JSON value', anyValue)
      const prop = key.slice(key.indexOf('/') + 1)
      if (role === ROLE_DASHBOARD_PROP && prop.startsWith(TILE_PREFIX)) {
        return isReportRef(prop.slice(TILE_PREFIX.length)) ? jsonProblem(content, 'a tile { order, removed? }', isTileValue) : 'is not a tile of a report id'
      }
      const fits = (role === ROLE_REPORT_PROP ? REPORT_PROPS : DASHBOARD_PROPS)[prop]
      return fits ? jsonProblem(content, 'a value of that property', fits) : 'is not a known property'
    }
    if (role === ROLE_VIEW_PROP) {
      if (key === null) return jsonProblem(content, 'a JSON value', anyValue)
      const fits = VIEW_PROPS[key.slice(key.indexOf('/') + 1)]
      return fits ? jsonProblem(content, 'a value of that property', fits) : 'is not a known property'
    }
    if (role === ROLE_PIPELINE_PROP && key === 'stages') return mapProblem(content, 'the stages map')
    if (role === ROLE_ENTITY_PROP && key === 'fields') return mapProblem(content, 'the fields map')
    // one entry per option, so two admins colouring two options both win
    if (role === ROLE_FIELD_PROP && key === 'optionColors') return mapProblem(content, 'the option colours map')
    if (role === ROLE_OPTION_COLOR) {
      if (key !== null && key.length > MAX_META_LENGTH) return 'is not an option name'
      return jsonProblem(content, 'a palette colour name', isOptionColor)
    }
    const props = role === ROLE_ENTITY_PROP ? ENTITY_PROPS : role === ROLE_FIELD_PROP ? FIELD_PROPS : role === ROLE_WORKSPACE_PROP ? WORKSPACE_PROPS
      : role === ROLE_FORM_PROP ? FORM_PROPS : role === ROLE_PIPELINE_PROP ? PIPELINE_PROPS : role === ROLE_STAGE_PROP ? STAGE_PROPS : null
    if (!props) return `is ${describeContent(content)} where nothing may be`
    if (key === null) return jsonProblem(content, 'a JSON value', anyValue)
    // remembered import mappings are workspace settings keyed by the file's header (importMappingDoc.ts)
    const fits = props[key] ?? (role === ROLE_WORKSPACE_PROP && isRememberedMappingKey(key) ? isRememberedMapping : undefined)
    if (!fits) return 'is not a known property'
    return jsonProblem(content, 'a value of that property', fits)
  },
}

/** automation: `rules[<rule id>]`: a Y.Map (src/crdt/automationDoc.ts). */
export const ROLE_RULE = 17
/** automation: an entry of a rule map (a Rule property). */
export const ROLE_RULE_PROP = 18
/** automation: `runs[<rule id>|<writer>]`: one writer's run log of a rule. */
export const ROLE_RUN = 19
/** automation: `notifications[<member id>|<id>]`: a rule's notification of a member. */
export const ROLE_NOTIFICATION = 20
/** automation: `outbox[<id>]`: a rule's webhook call, waiting for the relay. */
export const ROLE_OUTBOX = 21

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isShortList = (v: unknown) => Array.isArray(v) && v.length <= 100 && v.every(isObject)
const RULE_PROPS: Record<string, (v: unknown) => boolean> = {
  name: isString,
  enabled: (v) => typeof v === 'boolean',
  trigger: (v) => isObject(v) && typeof v.kind === 'string',
  conditions: isShortList,
  actions: isShortList,
  createdAt: isInstant,
  createdBy: isString,
  updatedAt: isInstant,
  deletedAt: isInstant,
}
const isRunLog = (v: unknown) => isObject(v) && typeof v.count === 'number' && Number.isFinite(v.count) && v.count >= 0
  && (v.lastAt === null || isInstant(v.lastAt)) && Array.isArray(v.errors) && v.errors.length <= 20
const isNotification = (v: unknown) => isObject(v) && typeof v.message === 'string' && v.message.length <= FORM_TEXT_MAX && isInstant(v.at)
  && isString(v.entity) && isString(v.recordId) && isString(v.ruleId) && (v.readAt === undefined || isInstant(v.readAt))
const isOutboxEntry = (v: unknown) => isObject(v) && typeof v.url === 'string' && isHttpUrl(v.url) && isString(v.ruleId)
  && isString(v.entity) && isString(v.recordId) && isInstant(v.at)

/** `<rule id>|<writer>` / `<member id>|<id>`: the part after the first `|`, or null. */
function afterBar(key: string): [string, string] | null {
  const at = key.indexOf('|')
  return at > 0 && at < key.length - 1 ? [key.slice(0, at), key.slice(at + 1)] : null
}

/** Who writes an automation update: the relay, a member (their role and id decide), or anyone (indexing: shapes only). */
export type AutomationWriter = 'relay' | { id: string; role: string } | null

/**
 * Whether `writer` may write (or delete) what sits at `role` under `key` in the automation document,
 * or why not: admins the rules, editors and admins only their own run logs (`<rule id>|<their
 * member id>.<device>`), notifications and the outbox; viewers nothing; the relay anything.
 */
export function automationWriteProblem(writer: AutomationWriter, role: number, key: string | null): string | null {
  if (writer === null || writer === 'relay') return null
  if (writer.role === 'viewer') return 'may not be written by a viewer'
  if (role === ROLE_RULE || role === ROLE_RULE_PROP) return writer.role === 'admin' ? null : `is a rule: admins change those, not a ${writer.role}`
  // an overwrite of a log whose key is not known (a document indexed in a worker keeps roles only) passes
  if (role === ROLE_RUN && key !== null) {
    const parts = afterBar(key)
    if (!parts || !parts[1].startsWith(`${writer.id}.`)) return `is another writer's run log (a member writes runs["<rule id>|${writer.id}.<device>"])`
  }
  return null
}

/** `automation` for one writer (see automationWriteProblem); the shapes of src/crdt/automationDoc.ts for all. */
export function automationLayout(writer: AutomationWriter): DocumentLayout {
  return {
    rootRole: (name) => (name === 'rules' ? ROLE_RULE : name === 'runs' ? ROLE_RUN : name === 'notifications' ? ROLE_NOTIFICATION : name === 'outbox' ? ROLE_OUTBOX : null),
    childRole: (role) => (role === ROLE_RULE ? ROLE_RULE_PROP : null),
    place(role, key) {
      if (role === ROLE_RULE) return `rules${quote(key)}`
      if (role === ROLE_RULE_PROP) return `a rule's entry${key === null ? '' : ` ${JSON.stringify(key)}`}`
      if (role === ROLE_RUN) return `runs${quote(key)}`
      if (role === ROLE_NOTIFICATION) return `notifications${quote(key)}`
      return `outbox${quote(key)}`
    },
    contentProblem(role, key, content) {
      const who = automationWriteProblem(writer, role, key)
      if (who) return who
      if (role === ROLE_RULE) {
        if (key !== null && !RECORD_ID.test(key)) return 'is not a rule id'
        return mapProblem(content, 'a rule map')
      }
      // an overwrite names only the entry it replaces: any JSON value
      if (key === null) return jsonProblem(content, 'a JSON value', anyValue)
      if (role === ROLE_RULE_PROP) {
        const fits = RULE_PROPS[key]
        return fits ? jsonProblem(content, 'a value of that property', fits) : 'is not a known property'
      }
      if (role === ROLE_RUN) return afterBar(key) ? jsonProblem(content, 'a run log { count, lastAt, lastRecord, errors }', isRunLog) : 'is not "<rule id>|<writer>"'
      if (role === ROLE_NOTIFICATION) return afterBar(key) ? jsonProblem(content, 'a notification { message, entity, recordId, ruleId, at }', isNotification) : 'is not "<member id>|<id>"'
      if (role === ROLE_OUTBOX) return RECORD_ID.test(key) ? jsonProblem(content, 'a webhook call { url, ruleId, entity, recordId, at }', isOutboxEntry) : 'is not an outbox id'
      return `is ${describeContent(content)} where nothing may be`
    },
  }
}

/** `automation` for any writer: the shapes only. */
export const AUTOMATION_LAYOUT: DocumentLayout = automationLayout(null)
