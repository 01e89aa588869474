import { importHeaderKey } from './matchImportColumns'

/*
 * An import's column mapping is remembered per file header, for the whole workspace: the next
 * file with the same columns (however they are spelled: importHeaderKey) into the same list opens
 * with the same choices. It is kept as a workspace setting in the schema document, one key per
 * header and entity, so two members remembering two files both win and it syncs like the rest.
 */

/** Columns a remembered mapping may have: a wider file is simply not remembered. */
export const REMEMBERED_MAPPING_MAX_COLUMNS = 500
const KEY_PREFIX = 'import-header:'
const API_KEY = /^[a-z][a-z0-9_]{0,119}$/

/** One file header's mapping: for each column in order, the field's API key, or null to leave it out. */
export type RememberedMapping = (string | null)[]

/** The workspace setting the mapping of `header` into `entityId` is kept under. */
export function rememberedMappingKey(entityId: string, header: readonly string[]): string {
  return `${importHeaderKey(header)}#${entityId}`
}

export function isRememberedMappingKey(key: string): boolean {
  return key.startsWith(KEY_PREFIX) && key.includes('#') && key.length <= 20_000
}

export function isRememberedMapping(value: unknown): value is RememberedMapping {
  return Array.isArray(value) && value.length <= REMEMBERED_MAPPING_MAX_COLUMNS && value.every((v) => v === null || (typeof v === 'string' && API_KEY.test(v)))
}

/** The mapping of a file as matchImportColumns takes it (column label → API key or null), from a remembered one; columns past its end are matched afresh. */
export function explicitMapping(header: readonly string[], remembered: RememberedMapping | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  if (!remembered || remembered.length !== header.length) return out
  header.forEach((column, i) => { if (!(column in out)) out[column] = remembered[i] ?? null })
  return out
}
