import { CONVERTED_LINK_KEYS } from './leads/convertLead'
import { liveFields, type EntityDef, type FieldDef, type FieldType } from './schema'

/** How many fields a phone's card shows under the record's name. */
export const CARD_FIELD_COUNT = 4

// What tells records apart at a glance, most telling first: how to reach a person, whom or what
// the record belongs to, what it is worth and where it stands, whose it is, when it is due.
const TYPE_RANK: FieldType[] = ['email', 'phone', 'link', 'money', 'select', 'member', 'dateTime', 'date', 'url', 'number', 'checkbox', 'multiSelect', 'text']
// a select keyed like this says where the record stands (a deal's stage, a lead's status)
const STATE_KEYS = new Set(['stage', 'status'])
// what a converted lead became marks its end, empty on every open lead: not whom it belongs to
const CONVERSION_KEYS = new Set<string>(Object.values(CONVERTED_LINK_KEYS))

/**
 * The fields a compact card shows besides the record's name: at most one per type, chosen by
 * TYPE_RANK, in the entity's own field order. Among selects a stage or status comes first, then
 * the one with more options (a pipeline with one option says nothing about the record).
 */
export function cardFields(entity: EntityDef, count = CARD_FIELD_COUNT): FieldDef[] {
  const fields = liveFields(entity).filter((f) => f.id !== entity.primaryField && !isNamePart(entity, f) && !isConversionMark(entity, f))
  const chosen: FieldDef[] = []
  for (const type of TYPE_RANK) {
    if (chosen.length >= count) break
    const ofType = fields.filter((f) => f.type === type)
    if (!ofType.length) continue
    chosen.push(type === 'select' ? [...ofType].sort(bySelectWeight)[0]! : ofType[0]!)
  }
  const order = new Map(fields.map((f, i) => [f.id, i]))
  return chosen.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
}

function isConversionMark(entity: EntityDef, field: FieldDef): boolean {
  return entity.key === 'leads' && CONVERSION_KEYS.has(field.key)
}

/** A person's first name is in the card's title already (recordTitle joins first and last). */
function isNamePart(entity: EntityDef, field: FieldDef): boolean {
  return field.key === 'first_name' && entity.fields.some((f) => f.key === 'last_name' && !f.deletedAt)
}

function bySelectWeight(a: FieldDef, b: FieldDef): number {
  const state = Number(STATE_KEYS.has(b.key)) - Number(STATE_KEYS.has(a.key))
  return state || (b.options?.length ?? 0) - (a.options?.length ?? 0) || a.order - b.order
}
