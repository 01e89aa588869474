import { liveFields, type EntityDef, type FieldDef } from '../schema'

/** A column's label or a field's label or API key → what they are compared by: case, spaces, punctuation and accents ignored (`E-Mail`, `email`, `Émail`). */
export function columnMatchKey(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

/** The key a mapping is remembered under for files with this header: the same columns in the same order, however they are spelled. */
export function importHeaderKey(header: readonly string[]): string {
  return `import-header:${header.map(columnMatchKey).join('|')}`
}

/** Why the columns could not be mapped: a mapping naming a field the entity lacks, or a column the file lacks. */
export interface MappingProblem { field: string; message: string }

export type ColumnMapping = { ok: true; columns: (FieldDef | null)[] } | { ok: false; problems: MappingProblem[] }

/**
 * The field each column of `header` fills (null: left out). `explicit` (column label → field API
 * key, or null to leave the column out) wins where given; other columns match a live field by its
 * label or API key (columnMatchKey). A field filled by an earlier column is not filled twice.
 */
export function matchImportColumns(entity: EntityDef, header: readonly string[], explicit: Readonly<Record<string, string | null>> = {}): ColumnMapping {
  const fields = liveFields(entity)
  const byKey = new Map(fields.map((f) => [f.key, f]))
  const byMatch = new Map<string, FieldDef>()
  for (const f of fields) for (const k of [columnMatchKey(f.key), columnMatchKey(f.label)]) if (!byMatch.has(k)) byMatch.set(k, f)
  const problems: MappingProblem[] = []
  // a column named exactly as in the mapping first, else by its match key (the first such entry)
  const explicitExact = new Map<string, string | null>()
  const explicitByKey = new Map<string, string | null>()
  for (const [column, key] of Object.entries(explicit)) {
    if (key !== null && !byKey.has(key)) problems.push({ field: key, message: `${entity.label} has no field "${key}" (fields: ${fields.map((f) => f.key).join(', ')})` })
    if (!header.includes(column) && !header.some((h) => columnMatchKey(h) === columnMatchKey(column))) problems.push({ field: column, message: `the file has no column "${column}" (columns: ${header.join(', ')})` })
    explicitExact.set(column, key)
    if (!explicitByKey.has(columnMatchKey(column))) explicitByKey.set(columnMatchKey(column), key)
  }
  if (problems.length) return { ok: false, problems }
  const used = new Set<string>()
  const columns = header.map((label) => {
    const k = columnMatchKey(label)
    const named = explicitExact.has(label) ? explicitExact.get(label) : explicitByKey.get(k)
    const field = named === null ? null : named !== undefined ? byKey.get(named)! : (byMatch.get(k) ?? null)
    if (!field || used.has(field.id)) return null
    used.add(field.id)
    return field
  })
  return { ok: true, columns }
}
