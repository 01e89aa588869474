import type { FieldDef } from './schema'
import type { ParseResult } from './parseFieldInput'

/** A refusal that names the field first, so a message read out of context still says where. */
export function fieldError(field: FieldDef, reason: string): ParseResult {
  return { ok: false, error: `${field.label}: ${reason}` }
}

export function requiredError(field: FieldDef): ParseResult {
  return { ok: false, error: `${field.label} is required` }
}

/** Empty input: null, or a refusal when the field must be filled. */
export function emptyValue(field: FieldDef): ParseResult {
  return field.required ? requiredError(field) : { ok: true, value: null }
}

const QUOTE_MAX = 60

/** The input in quotes, shortened so a pasted novel does not become the error message. */
export function quoted(input: string): string {
  const text = input.trim()
  return `"${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text}"`
}

/** "A, B, C, … (12 more)" — long option lists stay readable in a toast. */
export function listForMessage(items: string[], max = 8): string {
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')}, … (${items.length - max} more)`
}
