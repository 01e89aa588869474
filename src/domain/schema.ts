import type { WebForm } from './forms/webForm'
import type { Pipeline } from './pipelines/pipeline'
import type { WorkspaceDetails } from './workspace/workspaceDetails'
import type { SavedView } from './views/savedView'
import type { Dashboard, SavedReport } from './reports/savedReport'

/**
 * Workspace schema as plain data. The CRDT layer stores exactly these shapes in the `schema`
 * document; the UI, the relay and the API all read them from here.
 */
export const FIELD_TYPES = [
  'text', 'longText', 'number', 'money', 'date', 'dateTime', 'select', 'multiSelect',
  'checkbox', 'email', 'phone', 'url', 'link', 'member',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** Money is stored as integer minor units plus an ISO 4217 currency code. */
export interface Money { amount: number; currency: string }

/** A stored cell value: plain JSON only. `null` means empty. */
export type FieldValue = string | number | boolean | string[] | Money | null

export interface FieldDef {
  /** Stable id; record values are keyed by it. Never changes. */
  id: string
  /** Stable public API key, snake_case (`email`, `close_date`). */
  key: string
  label: string
  type: FieldType
  /** select / multiSelect choices. */
  options?: string[]
  /** select / multiSelect: an option's colour, a name of the fixed palette (optionColors.ts); unset draws gray. */
  optionColors?: Record<string, string>
  /**
   * A select whose options are the workspace's pipelines or their stages (a deal's `pipeline`
   * and `stage`): the record holds the id, `choices` and `options` are derived when the schema
   * is read (stageChoices.ts).
   */
  choicesFrom?: 'pipelines' | 'stages'
  /** Derived, never stored: the choices of a `choicesFrom` select; `options` are their labels. */
  choices?: FieldChoice[]
  /** link: the entity id the link points to; `multiple` allows several records. */
  linkEntity?: string
  multiple?: boolean
  /** money: default currency when the input names none. */
  currency?: string
  /** number: the smallest and largest value allowed (a probability is 0–100). */
  min?: number
  max?: number
  required?: boolean
  /** Sort position among the entity's fields. */
  order: number
  /** Soft-removed custom fields keep their values but are hidden. */
  deletedAt?: string
}

/** One choice of a select whose values are ids: the id is stored, the label shown and typed. */
export interface FieldChoice { id: string; label: string }

export interface EntityDef {
  /** Stable id; also the suffix of the entity's document name. */
  id: string
  /** Public API key (`contacts`). */
  key: string
  label: string
  singular: string
  /** Field id shown as the record's name in links and panels. */
  primaryField: string
  order: number
  fields: FieldDef[]
}

/**
 * Workspace-wide settings, one entry per property in the `schema` document's `workspace` map,
 * so two admins changing different settings both win.
 */
/** Workspace-wide settings; the details printed on quotes and invoices are WorkspaceDetails. */
export interface WorkspaceSettings extends WorkspaceDetails {
  /** ISO 3166 alpha-2: phone numbers typed without a country code belong here unless the member's locale names a country. */
  defaultCountry?: string
  /**
   * Who chose `defaultCountry`: an admin in Settings ('admin'), the first admin's browser locale
   * ('locale'), or the relay's process locale when it seeded the workspace ('relay', a guess the
   * first admin's locale replaces).
   */
  defaultCountrySource?: CountrySource
  /** POST /api/v1/calls from a number nobody has makes a new lead (unset: yes); a call's `create_lead` overrides it. */
  callsCreateLeadForUnknown?: boolean
}

export type CountrySource = 'admin' | 'locale' | 'relay'

/**
 * `workspace`, `forms`, `pipelines` and `views` are absent in copies cached before they existed;
 * `forms`, `pipelines` and `views` include soft-deleted ones (`views` also other members'
 * personal ones: canSeeView says which a member sees).
 */
export interface WorkspaceSchema {
  entities: EntityDef[]; workspace?: WorkspaceSettings; forms?: WebForm[]; pipelines?: Pipeline[]; views?: SavedView[]
  /** Saved reports and dashboards (issue 17), removed and other members' personal ones included, like `views`. */
  reports?: SavedReport[]; dashboards?: Dashboard[]
}

/** A record as the UI and the API see it: values keyed by field id. */
export interface Row {
  id: string
  values: Record<string, FieldValue>
  createdAt: string
  createdBy: string
  deletedAt?: string
  /** The member who deleted it (`$deletedBy`; absent on deletes made before it was recorded). */
  deletedBy?: string
  /** Purged for good (`$purgedAt`): its values are gone, it is neither live nor in the trash. */
  purgedAt?: string
}

/** Plain change event produced by the CRDT layer for one entity. */
export interface RowPatch {
  added: Row[]
  updated: Row[]
  removed: string[]
}

export function liveFields(entity: EntityDef): FieldDef[] {
  return entity.fields.filter((f) => !f.deletedAt).sort((a, b) => a.order - b.order)
}

export function findEntity(schema: WorkspaceSchema, idOrKey: string): EntityDef | undefined {
  return schema.entities.find((e) => e.id === idOrKey || e.key === idOrKey)
}

export function fieldByKey(entity: EntityDef, key: string): FieldDef | undefined {
  return entity.fields.find((f) => f.key === key && !f.deletedAt)
}

/** Turns a label into a snake_case API key, unique within the entity. */
export function fieldKeyFor(label: string, taken: Iterable<string>): string {
  const base = label
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'field'
  const start = /^[a-z]/.test(base) ? base : `f_${base}`
  const used = new Set(taken)
  let key = start
  for (let n = 2; used.has(key); n++) key = `${start}_${n}`
  return key
}
