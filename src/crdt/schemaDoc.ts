import * as Y from 'yjs'
import { ADDED_DEFAULT_OPTIONS, defaultSchema } from '../domain/defaultSchema'
import type { CountrySource, EntityDef, FieldDef, FieldType, WorkspaceSchema, WorkspaceSettings } from '../domain/schema'
import { fieldKeyFor } from '../domain/schema'
import { addOption, moveOption, renameOption } from '../domain/editOptions'
import { isOptionColor, type OptionColor } from '../domain/optionColors'
import { randomId } from './randomId'
import { readWorkspaceDetails, workspaceDetailProblem, type WorkspaceDetailKey, type WorkspaceDetails } from '../domain/workspace/workspaceDetails'
import { formsOf, readForms } from './formDoc'
import { pipelinesOf, putPipeline, readPipelines } from './pipelineDoc'
import { readViews, viewsOf } from './viewDoc'
import { dashboardsOf, readDashboards, readReports, reportsOf } from './reportDoc'
import { defaultPipeline, pipelineFromStageNames, type Pipeline } from '../domain/pipelines/pipeline'
import { pipelineChoices, stageChoices } from '../domain/pipelines/stageChoices'

/*
 * Layout of the `schema` document:
 *   getMap('entities'): entityId → Y.Map { key, label, singular, primaryField, order,
 *                                           fields: Y.Map fieldId → Y.Map (FieldDef props) }
 *   a select field's `optionColors`: Y.Map option name → palette colour name
 *   getMap('workspace'): setting → value (WorkspaceSettings: defaultCountry, …)
 *   getMap('forms'): web-to-lead forms (formDoc.ts)
 *   getMap('pipelines'): deal pipelines and their stages (pipelineDoc.ts)
 *   getMap('views'): saved views of the lists (viewDoc.ts)
 *   getMap('reports'), getMap('dashboards'): saved reports and dashboards (reportDoc.ts)
 * Every property is its own map entry, so renaming a field and changing its options merge, and
 * so do two admins changing different workspace settings.
 */
const ENTITIES = 'entities'
const WORKSPACE = 'workspace'
const COUNTRY_CODE = /^[A-Z]{2}$/

type YFields = Y.Map<Y.Map<unknown>>

function entitiesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(ENTITIES)
}

function workspaceOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(WORKSPACE)
}

/** The workspace settings as plain data; a value of the wrong shape (any client can write) reads as unset. */
export function readWorkspaceSettings(doc: Y.Doc): WorkspaceSettings {
  const y = workspaceOf(doc)
  const settings: WorkspaceSettings = readWorkspaceDetails((key) => y.get(key))
  const country = y.get('defaultCountry')
  if (typeof country === 'string' && COUNTRY_CODE.test(country)) settings.defaultCountry = country
  const source = y.get('defaultCountrySource')
  if (settings.defaultCountry && (source === 'admin' || source === 'locale' || source === 'relay')) settings.defaultCountrySource = source
  const createLead = y.get('callsCreateLeadForUnknown')
  if (typeof createLead === 'boolean') settings.callsCreateLeadForUnknown = createLead
  return settings
}

/**
 * Sets one of the details printed on quotes and invoices (workspaceDetails.ts), or clears it
 * with null; a value its rule refuses throws SchemaError naming the detail and the reason.
 */
export function setWorkspaceDetail<K extends WorkspaceDetailKey>(doc: Y.Doc, key: K, value: WorkspaceDetails[K] | null, origin: unknown): void {
  if (value !== null) {
    const problem = workspaceDetailProblem(key, value)
    if (problem) throw new SchemaError(problem)
  }
  doc.transact(() => (value === null ? workspaceOf(doc).delete(key) : workspaceOf(doc).set(key, value)), origin)
}

/** Whether a call from an unknown number makes a new lead (WorkspaceSettings.callsCreateLeadForUnknown). */
export function setCallsCreateLeadForUnknown(doc: Y.Doc, value: boolean, origin: unknown): void {
  doc.transact(() => workspaceOf(doc).set('callsCreateLeadForUnknown', value), origin)
}

/**
 * Sets the workspace's default country (ISO 3166 alpha-2, upper case), or clears it with null.
 * `source` says who chose it (see WorkspaceSettings.defaultCountrySource).
 */
export function setDefaultCountry(doc: Y.Doc, country: string | null, source: CountrySource, origin: unknown): void {
  if (country !== null && !COUNTRY_CODE.test(country)) throw new SchemaError(`"${country}" is not a two-letter country code (e.g. DE, US)`)
  const y = workspaceOf(doc)
  doc.transact(() => {
    if (country === null) {
      y.delete('defaultCountry')
      y.delete('defaultCountrySource')
    } else {
      y.set('defaultCountry', country)
      y.set('defaultCountrySource', source)
    }
  }, origin)
}

function fieldToY(field: FieldDef): Y.Map<unknown> {
  const y = new Y.Map<unknown>()
  for (const [k, v] of Object.entries(field)) if (v !== undefined && k !== 'optionColors' && k !== 'choices') y.set(k, v)
  // created with the field, so two admins colouring its first options write into one map
  if (field.type === 'select' || field.type === 'multiSelect') {
    const colors = new Y.Map<unknown>()
    for (const [option, color] of Object.entries(field.optionColors ?? {})) colors.set(option, color)
    y.set('optionColors', colors)
  }
  return y
}

/** Writes the default workspace into an empty schema document (the relay does this once). */
export function seedDefaultSchema(doc: Y.Doc): void {
  doc.transact(() => {
    for (const entity of defaultSchema().entities) if (!entitiesOf(doc).has(entity.id)) addEntity(doc, entity, 'seed')
    if (pipelinesOf(doc).size === 0) putPipeline(doc, defaultPipeline(), 'seed')
  }, 'seed')
}

/**
 * Gives a workspace made before pipelines its "Sales" pipeline (the relay runs this at start):
 * built from the options its deals' `stage` select holds, so every stage name in use becomes a
 * stage; and marks the deals' `pipeline` and `stage` fields as holding ids. Deals keep the
 * names they hold: a name reads as the stage of that name (choiceIdOf) until the deal is next
 * edited, so no deal document is rewritten. Returns the pipeline added, if any.
 */
export function addMissingPipelines(doc: Y.Doc, origin: unknown): Pipeline | undefined {
  let added: Pipeline | undefined
  doc.transact(() => {
    const fields = entitiesOf(doc).get('deals')?.get('fields')
    if (!(fields instanceof Y.Map)) return
    const stage = (fields as YFields).get('deals.stage')
    const pipeline = (fields as YFields).get('deals.pipeline')
    if (pipelinesOf(doc).size === 0) {
      const options = stage?.get('options')
      const names = Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : []
      added = names.length ? pipelineFromStageNames(names) : defaultPipeline()
      putPipeline(doc, added, origin)
    }
    if (stage && stage.get('choicesFrom') === undefined) stage.set('choicesFrom', 'stages')
    if (pipeline && pipeline.get('choicesFrom') === undefined) pipeline.set('choicesFrom', 'pipelines')
  }, origin)
  return added
}

/**
 * Adds the default fields a workspace made by an older relay lacks (the relay runs this at start),
 * at the end of their entity; a field whose id is there (even soft-removed: an admin removed it)
 * or whose key a live field already uses is left out. Returns the fields added.
 */
export function addMissingDefaultFields(doc: Y.Doc, origin: unknown): FieldDef[] {
  const added: FieldDef[] = []
  doc.transact(() => {
    for (const entity of defaultSchema().entities) {
      const fields = entitiesOf(doc).get(entity.id)?.get('fields')
      if (!(fields instanceof Y.Map)) continue
      const existing = [...(fields as YFields).entries()].map(([id, y]) => ({ ...(y.toJSON() as FieldDef), id }))
      let order = existing.reduce((m, f) => Math.max(m, Number(f.order) || 0), -1)
      for (const field of entity.fields) {
        if (existing.some((f) => f.id === field.id || (!f.deletedAt && f.key === field.key))) continue
        const placed = { ...field, order: ++order }
        ;(fields as YFields).set(field.id, fieldToY(placed))
        added.push(placed)
      }
    }
  }, origin)
  return added
}

/**
 * Gives a default select field the options a later version added (the activities' outcome
 * `connected`, issue 16) where its options are still exactly the ones it was made with: a list an
 * admin edited is theirs and left alone, so an option they removed never comes back. Returns the
 * ids of the fields changed.
 */
export function addNewDefaultOptions(doc: Y.Doc, origin: unknown): string[] {
  const changed: string[] = []
  doc.transact(() => {
    for (const { field, before, after } of ADDED_DEFAULT_OPTIONS) {
      const entityId = field.slice(0, field.indexOf('.'))
      const fields = entitiesOf(doc).get(entityId)?.get('fields')
      const y = fields instanceof Y.Map ? (fields as YFields).get(field) : undefined
      const options = y?.get('options')
      if (!y || !Array.isArray(options) || options.length !== before.length || options.some((o, i) => o !== before[i])) continue
      y.set('options', [...after])
      changed.push(field)
    }
  }, origin)
  return changed
}

/**
 * Adds the default entities a workspace made by an older relay lacks (e.g. `deal_lines`), with
 * their default fields; an entity whose id or key is there is left alone. Returns those added.
 */
export function addMissingDefaultEntities(doc: Y.Doc, origin: unknown): EntityDef[] {
  const added: EntityDef[] = []
  doc.transact(() => {
    const entities = entitiesOf(doc)
    const keys = new Set([...entities.values()].map((y) => y.get('key')))
    for (const entity of defaultSchema().entities) {
      if (entities.has(entity.id) || keys.has(entity.key)) continue
      addEntity(doc, entity, origin)
      added.push(entity)
    }
  }, origin)
  return added
}

/**
 * Adds an entity type with its fields (replacing one with the same id); from then on the relay
 * lets members open its document, `entity-<id>`.
 */
export function addEntity(doc: Y.Doc, entity: EntityDef, origin: unknown): void {
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    entitiesOf(doc).set(entity.id, y)
    y.set('key', entity.key)
    y.set('label', entity.label)
    y.set('singular', entity.singular)
    y.set('primaryField', entity.primaryField)
    y.set('order', entity.order)
    const fields: YFields = new Y.Map()
    y.set('fields', fields)
    for (const f of entity.fields) fields.set(f.id, fieldToY(f))
  }, origin)
}

export function isSchemaEmpty(doc: Y.Doc): boolean {
  return entitiesOf(doc).size === 0
}

function readField(id: string, y: Y.Map<unknown>, pipelines: readonly Pipeline[]): FieldDef {
  const f = { ...(y.toJSON() as FieldDef), id }
  if (f.type === 'select' && (f.choicesFrom === 'stages' || f.choicesFrom === 'pipelines')) {
    // the options of a pipeline or stage select are the schema's pipelines, read here each time
    f.choices = f.choicesFrom === 'stages' ? stageChoices(pipelines) : pipelineChoices(pipelines)
    f.options = f.choices.map((c) => c.label)
  } else {
    delete f.choices
  }
  return f
}

/** The schema as plain data; entities and fields sorted by `order`. */
export function readSchema(doc: Y.Doc): WorkspaceSchema {
  const entities: EntityDef[] = []
  const pipelines = readPipelines(doc)
  entitiesOf(doc).forEach((y, id) => {
    const fieldsY = y.get('fields') as YFields | undefined
    const fields: FieldDef[] = []
    fieldsY?.forEach((fy, fid) => fields.push(readField(fid, fy, pipelines)))
    fields.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    entities.push({
      id,
      key: String(y.get('key') ?? id),
      label: String(y.get('label') ?? id),
      singular: String(y.get('singular') ?? y.get('label') ?? id),
      primaryField: String(y.get('primaryField') ?? fields[0]?.id ?? ''),
      order: Number(y.get('order') ?? 0),
      fields,
    })
  })
  entities.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
  return { entities, workspace: readWorkspaceSettings(doc), forms: readForms(doc), pipelines, views: readViews(doc), reports: readReports(doc), dashboards: readDashboards(doc) }
}

export class SchemaError extends Error {}

function fieldsMap(doc: Y.Doc, entityId: string): YFields {
  const entity = entitiesOf(doc).get(entityId)
  const fields = entity?.get('fields') as YFields | undefined
  if (!fields) throw new SchemaError(`Unknown entity "${entityId}"`)
  return fields
}

export interface NewField {
  label: string
  type: FieldType
  options?: string[]
  linkEntity?: string
  multiple?: boolean
  currency?: string
}

/** Adds a custom field at the end; returns its new id. */
export function addField(doc: Y.Doc, entityId: string, spec: NewField, origin: unknown): FieldDef {
  const label = spec.label.trim()
  if (!label) throw new SchemaError('A field needs a name')
  if (label.length > 80) throw new SchemaError('A field name can have at most 80 characters')
  const fields = fieldsMap(doc, entityId)
  const existing = [...fields.values()].map((y) => y.toJSON() as FieldDef)
  if (existing.some((f) => !f.deletedAt && f.label.toLowerCase() === label.toLowerCase())) {
    throw new SchemaError(`A field named "${label}" already exists`)
  }
  if ((spec.type === 'select' || spec.type === 'multiSelect') && !spec.options?.length) {
    throw new SchemaError('A select field needs at least one option')
  }
  if (spec.type === 'link' && !spec.linkEntity) throw new SchemaError('A link field needs the entity it links to')
  const field: FieldDef = {
    id: `f${randomId(10)}`,
    key: fieldKeyFor(label, existing.map((f) => f.key)),
    label,
    type: spec.type,
    order: existing.reduce((m, f) => Math.max(m, f.order), -1) + 1,
  }
  if (spec.options) field.options = [...new Set(spec.options.map((o) => o.trim()).filter(Boolean))]
  if (spec.linkEntity) field.linkEntity = spec.linkEntity
  if (spec.multiple) field.multiple = true
  if (spec.currency) field.currency = spec.currency
  doc.transact(() => fields.set(field.id, fieldToY(field)), origin)
  return field
}

export function renameField(doc: Y.Doc, entityId: string, fieldId: string, label: string, origin: unknown): void {
  const clean = label.trim()
  if (!clean) throw new SchemaError('A field needs a name')
  if (clean.length > 80) throw new SchemaError('A field name can have at most 80 characters')
  const field = fieldsMap(doc, entityId).get(fieldId)
  if (!field) throw new SchemaError(`Unknown field "${fieldId}"`)
  doc.transact(() => field.set('label', clean), origin)
}

/** Soft-removes a field: values stay in the records, so removal can be undone and nothing is lost. */
export function removeField(doc: Y.Doc, entityId: string, fieldId: string, origin: unknown, now = new Date()): void {
  const field = fieldsMap(doc, entityId).get(fieldId)
  if (!field) throw new SchemaError(`Unknown field "${fieldId}"`)
  doc.transact(() => field.set('deletedAt', now.toISOString()), origin)
}

export function restoreField(doc: Y.Doc, entityId: string, fieldId: string, origin: unknown): void {
  const field = fieldsMap(doc, entityId).get(fieldId)
  if (!field) throw new SchemaError(`Unknown field "${fieldId}"`)
  doc.transact(() => field.delete('deletedAt'), origin)
}

export function setFieldOptions(doc: Y.Doc, entityId: string, fieldId: string, options: string[], origin: unknown): void {
  const field = fieldsMap(doc, entityId).get(fieldId)
  if (!field) throw new SchemaError(`Unknown field "${fieldId}"`)
  doc.transact(() => field.set('options', options), origin)
}

function selectField(doc: Y.Doc, entityId: string, fieldId: string): { field: Y.Map<unknown>; options: string[] } {
  const field = fieldsMap(doc, entityId).get(fieldId)
  if (!field) throw new SchemaError(`Unknown field "${fieldId}"`)
  const type = field.get('type')
  if (type !== 'select' && type !== 'multiSelect') throw new SchemaError(`"${String(field.get('label'))}" has no options`)
  const options = field.get('options')
  return { field, options: Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [] }
}

/** The field's option colours map, made on first use in fields from before colours. */
function optionColorsOf(field: Y.Map<unknown>): Y.Map<unknown> {
  const colors = field.get('optionColors')
  if (colors instanceof Y.Map) return colors
  const made = new Y.Map<unknown>()
  field.set('optionColors', made)
  return made
}

/** Adds an option at the end of a select's list (OptionEditError for an empty name or a twin). */
export function addSelectOption(doc: Y.Doc, entityId: string, fieldId: string, label: string, origin: unknown): void {
  const { field, options } = selectField(doc, entityId, fieldId)
  const next = addOption(options, label)
  doc.transact(() => field.set('options', next), origin)
}

/**
 * Renames an option in the list and moves its colour with it; returns the new name. The records
 * holding the old name are rewritten by the caller in their own documents (optionRenamePlan).
 */
export function renameSelectOption(doc: Y.Doc, entityId: string, fieldId: string, from: string, to: string, origin: unknown): string {
  const { field, options } = selectField(doc, entityId, fieldId)
  const renamed = renameOption(options, from, to)
  doc.transact(() => {
    field.set('options', renamed.options)
    const colors = field.get('optionColors')
    if (colors instanceof Y.Map && colors.has(from) && from !== renamed.label) {
      const color = colors.get(from)
      colors.delete(from)
      if (isOptionColor(color)) colors.set(renamed.label, color)
    }
  }, origin)
  return renamed.label
}

export function moveSelectOption(doc: Y.Doc, entityId: string, fieldId: string, label: string, by: number, origin: unknown): void {
  const { field, options } = selectField(doc, entityId, fieldId)
  const next = moveOption(options, label, by)
  doc.transact(() => field.set('options', next), origin)
}

/** An option's colour, one of the fixed palette (OPTION_COLORS). */
export function setOptionColor(doc: Y.Doc, entityId: string, fieldId: string, option: string, color: OptionColor, origin: unknown): void {
  if (!isOptionColor(color)) throw new SchemaError(`"${String(color)}" is not one of the option colours`)
  const { field, options } = selectField(doc, entityId, fieldId)
  if (!options.includes(option)) throw new SchemaError(`There is no option “${option}” any more`)
  doc.transact(() => optionColorsOf(field).set(option, color), origin)
}

/** Calls `listener` with the new schema after every change; returns the cleanup. */
export function observeSchema(doc: Y.Doc, listener: (schema: WorkspaceSchema) => void): () => void {
  const entities = entitiesOf(doc)
  const workspace = workspaceOf(doc)
  const forms = formsOf(doc)
  const pipelines = pipelinesOf(doc)
  const views = viewsOf(doc)
  const reports = reportsOf(doc)
  const dashboards = dashboardsOf(doc)
  const handler = () => listener(readSchema(doc))
  entities.observeDeep(handler)
  workspace.observe(handler)
  forms.observeDeep(handler)
  pipelines.observeDeep(handler)
  views.observeDeep(handler)
  reports.observeDeep(handler)
  dashboards.observeDeep(handler)
  return () => {
    entities.unobserveDeep(handler)
    workspace.unobserve(handler)
    forms.unobserveDeep(handler)
    pipelines.unobserveDeep(handler)
    views.unobserveDeep(handler)
    reports.unobserveDeep(handler)
    dashboards.unobserveDeep(handler)
  }
}
