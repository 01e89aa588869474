import { formatFieldValue } from './formatFieldValue'
import { recordTitle } from './recordTitle'
import type { EntityDef, FieldDef, Row } from './schema'
import { liveFields } from './schema'

export interface RecordDescription { id: string; title: string; detail: string }

// Fields that tell two records of the same name apart, best first: where they are, how to reach
// them, who looks after them. Matched by key, so custom fields named e.g. `city` count too.
const TELLING_KEYS = ['city', 'address', 'email', 'company', 'company_name', 'phone', 'website', 'owner']
const MAX_DETAILS = 3
const MAX_DETAIL_LENGTH = 40

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? ''
  return line.length > MAX_DETAIL_LENGTH ? `${line.slice(0, MAX_DETAIL_LENGTH - 1)}…` : line
}

/**
 * A record as a picker lists it: its name and a line of detail from the entity's own fields
 * (city or address, email, owner…), so two "Acme GmbH" can be told apart. `linkNames` names
 * linked records (a contact's company), `members` the owners.
 */
export function describeRecord(
  entity: EntityDef, row: Row,
  ctx: { members?: readonly { id: string; name: string }[]; linkName?: (field: FieldDef, id: string) => string | undefined } = {},
): RecordDescription {
  const title = recordTitle(entity, row)
  const fields = liveFields(entity)
  const details: string[] = []
  for (const key of TELLING_KEYS) {
    const field = fields.find((f) => f.key === key && f.id !== entity.primaryField)
    const value = field ? row.values[field.id] : undefined
    if (!field || value == null || value === '') continue
    const text = field.type === 'link'
      ? (Array.isArray(value) ? value : [value]).map((id) => ctx.linkName?.(field, String(id)) ?? '').filter(Boolean).join(', ')
      : formatFieldValue(field, value, { locale: 'en-US', members: ctx.members ? [...ctx.members] : undefined })
    const line = firstLine(text)
    if (line && !details.includes(line)) details.push(line)
    if (details.length === MAX_DETAILS) break
  }
  return { id: row.id, title, detail: details.join(' · ') }
}
