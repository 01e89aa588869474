import { quoted } from '../fieldError'
import { findEntity, type EntityDef, type FieldDef, type FieldValue, type WorkspaceSchema } from '../schema'
import { validateFieldValue } from '../validateFieldValue'

/*
 * The small checks validateRule is made of: each names the path of what it refuses and says
 * why, in the words of the API (entity and field keys), and returns the value normalized the
 * way it is stored (an entity or field key becomes its id, a value its stored form).
 */

export interface RuleProblem { path: string; message: string }

export class RuleProblems {
  readonly list: RuleProblem[] = []
  add(path: string, message: string): undefined {
    this.list.push({ path, message })
    return undefined
  }
}

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Member ids come from the relay's member list (validateFieldValue's MEMBER_ID): one token.
const MEMBER_ID = /^[^\s\p{C}]{1,128}$/u

export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `text ${quoted(value)}`
  if (typeof value === 'object') return 'an object'
  return String(value)
}

/** Refuses properties the shape does not have (a typo would otherwise be dropped silently). */
export function onlyKeys(p: RuleProblems, path: string, value: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) p.add(path ? `${path}.${key}` : key, `unknown property "${key}" (expected ${allowed.join(', ')})`)
  }
}

export function text(p: RuleProblems, path: string, value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return p.add(path, `expected text, got ${describeJson(value)}`)
  if (value.length > max) return p.add(path, `is too long (${value.length} characters; at most ${max})`)
  return value.trim()
}

export function wholeNumber(p: RuleProblems, path: string, value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return p.add(path, `expected a whole number, got ${describeJson(value)}`)
  if (value < min || value > max) return p.add(path, `must be between ${min} and ${max}, got ${value}`)
  return value
}

export function entityOf(p: RuleProblems, path: string, schema: WorkspaceSchema, value: unknown): EntityDef | undefined {
  if (typeof value !== 'string') return p.add(path, `expected an entity, got ${describeJson(value)}`)
  const entity = findEntity(schema, value)
  if (!entity) return p.add(path, `unknown entity "${value}" (entities: ${schema.entities.map((e) => e.key).join(', ')})`)
  return entity
}

/** A live field of the entity, by id or key. */
export function fieldOf(p: RuleProblems, path: string, entity: EntityDef, value: unknown): FieldDef | undefined {
  if (typeof value !== 'string') return p.add(path, `expected a field, got ${describeJson(value)}`)
  const live = entity.fields.filter((f) => !f.deletedAt)
  const field = live.find((f) => f.id === value) ?? live.find((f) => f.key === value)
  return field ?? p.add(path, `no field "${value}" in ${entity.key}`)
}

/** A member id; with the workspace's members known, one of them. */
export function memberOf(p: RuleProblems, path: string, value: unknown, members: ReadonlySet<string> | undefined): string | undefined {
  if (typeof value !== 'string' || !MEMBER_ID.test(value)) return p.add(path, `expected a member id, got ${describeJson(value)}`)
  if (value === 'me') return p.add(path, 'a rule has no "me": name the member')
  if (members && !members.has(value)) return p.add(path, `unknown member "${value}"`)
  return value
}

/** A value the field would store (checked as the API checks a record's value). */
export function fieldValueOf(p: RuleProblems, path: string, field: FieldDef, value: unknown): FieldValue | undefined {
  const checked = validateFieldValue(field, value)
  if (!checked.ok) return p.add(path, checked.error)
  return checked.value
}
