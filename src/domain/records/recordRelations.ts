import { nameFieldIds } from '../nameFieldIds'
import type { EntityDef, FieldDef, FieldValue, Row, WorkspaceSchema } from '../schema'
import { liveFields } from '../schema'

/** Records of another entity (or this one) whose link fields name this record: a company's contacts. */
export interface InboundRelation {
  kind: 'inbound'
  /** `<source entity id>` plus the fields, stable across renders. */
  id: string
  source: EntityDef
  /** The source's live link fields pointing at this entity (a record counts once however many name it). */
  fields: FieldDef[]
  /** Set when the link's name says more than the entity's (a lead's "Converted to company"). */
  via?: string
}

/** A record this one names in a link field of its own: a contact's company, a lead's converted deal. */
export interface OutboundRelation { kind: 'outbound'; id: string; field: FieldDef; target: EntityDef }

export type RecordRelation = InboundRelation | OutboundRelation

/**
 * What a record of `entityId` is related to, read from the schema's link fields alone: first
 * the records it links to (its own link fields, in field order), then each entity with link
 * fields pointing at it, in the schema's order. Nothing is listed by name, so a custom link
 * field (a project's company) shows on the company as well.
 */
export function recordRelations(schema: WorkspaceSchema, entityId: string): RecordRelation[] {
  const entity = schema.entities.find((e) => e.id === entityId)
  if (!entity) return []
  const byId = new Map(schema.entities.map((e) => [e.id, e]))
  const out: RecordRelation[] = []
  for (const field of liveFields(entity)) {
    const target = field.type === 'link' && field.linkEntity ? byId.get(field.linkEntity) : undefined
    if (target) out.push({ kind: 'outbound', id: `to:${field.id}`, field, target })
  }
  for (const source of [...schema.entities].sort((a, b) => a.order - b.order)) {
    const fields = liveFields(source).filter((f) => f.type === 'link' && f.linkEntity === entityId)
    if (!fields.length) continue
    // "Company" on a company, "Contacts" on a contact say nothing the list's name does not
    const plain = new Set([entity.singular, entity.label].map((w) => w.toLowerCase()))
    const telling = fields.map((f) => f.label).filter((label) => !plain.has(label.toLowerCase()))
    out.push({
      kind: 'inbound', id: `from:${source.id}:${fields.map((f) => f.id).join(',')}`, source, fields,
      via: telling.length === fields.length ? telling.join(', ') : undefined,
    })
  }
  return out
}

/** Newest first (then by id, so ties keep one order): the rows a related list shows first. */
export function newestFirst(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1))
}

/**
 * The values a new related record starts with: its link to this record in the relation's first
 * field (a multiple link as a list of one), and its name from `name` — for people "Ann Lee"
 * fills first and last name (the last word is the last name), otherwise the primary field.
 */
export function newRelatedValues(relation: InboundRelation, recordId: string, name: string): Record<string, FieldValue> {
  const link = relation.fields[0]!
  const values: Record<string, FieldValue> = { [link.id]: link.multiple ? [recordId] : recordId }
  const text = name.trim().replace(/\s+/g, ' ')
  if (!text) return values
  const names = nameFieldIds(relation.source)
  const fields = liveFields(relation.source)
  const first = fields.find((f) => f.key === 'first_name' && names.includes(f.id))
  const last = fields.find((f) => f.key === 'last_name' && names.includes(f.id))
  if (first && last) {
    const at = text.lastIndexOf(' ')
    if (at > 0) values[first.id] = text.slice(0, at)
    values[last.id] = at > 0 ? text.slice(at + 1) : text
  } else {
    values[relation.source.primaryField] = text
  }
  return values
}
