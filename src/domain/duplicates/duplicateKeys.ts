import type { EntityDef, FieldDef, Row } from '../schema'
import { liveFields } from '../schema'

/*
 * What two records of a list are compared by when looking for duplicates: their email
 * addresses (without case and spaces), their phone numbers (the E.164 number, extension left
 * out) and their names, normalised so that spelling noise does not hide a duplicate.
 */

/** Legal forms left out of a company's name: "Acme GmbH", "ACME Inc." and "Acme" are one company. */
const COMPANY_FORMS = new Set([
  'ab', 'ag', 'as', 'asa', 'bv', 'co', 'company', 'corp', 'corporation', 'gmbh', 'inc', 'incorporated', 'kg', 'kgaa',
  'kk', 'limited', 'llc', 'llp', 'lp', 'ltd', 'nv', 'oao', 'ooo', 'oy', 'oyj', 'pao', 'plc', 'pte', 'pty', 'sa', 'sae',
  'sarl', 'sas', 'se', 'spa', 'srl', 'ug', 'zao', 'and', 'und', 'the', 'mbh',
])

/** Lower case, accents and punctuation off, runs of space made one: "Müller-Lüdenscheidt, Jörg" → "muller ludenscheidt jorg". */
const PLAIN_ASCII = /^[A-Za-z0-9 ]*$/

export function plainWords(text: string): string[] {
  // most names are plain letters: no accents to take off, nothing to split on but spaces
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().split(' ').filter(Boolean)
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
}

/** A person's name without word order ("Lee, Ann" = "Ann Lee"). */
export function personNameKey(text: string): string {
  return plainWords(text).sort().join(' ')
}

/** A company's name without its legal form ("ACME Inc." = "Acme GmbH" = "acme"). */
export function companyNameKey(text: string): string {
  const words = plainWords(text)
  const kept = words.filter((w) => !COMPANY_FORMS.has(w))
  // a name that is only legal forms ("The Company") stays itself
  return (kept.length ? kept : words).join(' ')
}

/** `Bob@Example.com ` → `bob@example.com`; null when it is no address at all. */
export function emailKey(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const key = value.trim().toLowerCase()
  return key.includes('@') ? key : null
}

/**
 * A stored phone's number for comparing: stored phones are E.164 (normalizePhone made them so
 * at input), `+49301234567 ext. 12` is `+49301234567`; a value stored otherwise (before phones
 * were normalised) is compared on its digits. Null when too short to tell people apart.
 */
export function phoneKey(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const cut = value.indexOf(' ext. ')
  const number = cut < 0 ? value : value.slice(0, cut)
  const digits = number.replace(/\D/g, '')
  if (digits.length < 7) return null
  return number.trimStart().startsWith('+') ? `+${digits}` : digits
}

/** How a list's records are named for comparing, read from its fields once. */
export interface NameReader {
  /** The record's normalised name; '' when it has none. */
  key(row: Row): string
}

/**
 * People (first and last name, or a lead's `name`) compare without word order; companies
 * without their legal form; anything else on its primary field.
 */
export function nameReader(entity: EntityDef): NameReader {
  const fields = liveFields(entity)
  const byKey = (key: string) => fields.find((f) => f.key === key)
  const first = byKey('first_name')
  const last = byKey('last_name')
  const text = (row: Row, field: FieldDef | undefined) => {
    const v = field ? row.values[field.id] : undefined
    return typeof v === 'string' ? v : ''
  }
  if (first && last) return { key: (row) => personNameKey(`${text(row, first)} ${text(row, last)}`) }
  const isCompany = entity.key === 'companies'
  const name = isCompany ? fields.find((f) => f.id === entity.primaryField) : byKey('name') ?? fields.find((f) => f.id === entity.primaryField)
  if (isCompany) return { key: (row) => companyNameKey(text(row, name)) }
  return { key: (row) => personNameKey(text(row, name)) }
}
