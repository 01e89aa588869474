import type { FieldType } from './schema'

/**
 * Whether a stored value has the JSON shape a field of `type` holds — the shape only, not the
 * rules validateFieldValue applies to typed input (a relay checking the shape of what clients
 * store must not refuse a value an older client normalized differently).
 */
export function fieldValueFits(type: FieldType, value: unknown): boolean {
  if (value === null) return true
  switch (type) {
    case 'number': return typeof value === 'number' && Number.isFinite(value)
    case 'money': {
      if (typeof value !== 'object' || Array.isArray(value)) return false
      const money = value as Record<string, unknown>
      return typeof money.amount === 'number' && typeof money.currency === 'string'
    }
    case 'checkbox': return typeof value === 'boolean'
    case 'multiSelect': return isStringList(value)
    case 'link': case 'member': return typeof value === 'string' || isStringList(value)
    default: return typeof value === 'string'
  }
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
