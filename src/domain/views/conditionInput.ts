import { currencyDigits } from '../currencyDigits'
import { parseFieldInput, type ParseContext } from '../parseFieldInput'
import type { FieldDef, Money } from '../schema'
import type { ViewCondition, ViewOperator } from './savedView'
import { DAYS_MAX, isRelativePeriod } from '../relativePeriod'

export type ConditionReading = { ok: true; condition: ViewCondition } | { ok: false; error: string }

/**
 * A condition as a person typed it in the filter editor: the value read like a typed cell of
 * the field (`1 234,50 €`, `27.11.2026`, a member's name, an option), a range's bounds as numbers
 * (money in major units) or dates. An empty bound leaves that side open; refusals name the field.
 */
export function readCondition(field: FieldDef, op: ViewOperator, text: { value?: string; from?: string; to?: string }, ctx: ParseContext): ConditionReading {
  if (op === 'empty' || op === 'notEmpty' || op === 'isMe') return { ok: true, condition: { field: field.id, op } }
  if (op === 'relative') {
    // the editor's period picker gives a period's name, or last/next N days as `last14Days`
    const period = (text.value ?? '').trim()
    if (field.type !== 'date' && field.type !== 'dateTime') return { ok: false, error: `${field.label}: only dates are in a period` }
    if (!isRelativePeriod(period)) {
      const days = /^(last|next)(\d+)Days$/.exec(period)
      return { ok: false, error: days ? `${field.label}: give 1 to ${DAYS_MAX} days` : `${field.label}: pick a period` }
    }
    return { ok: true, condition: { field: field.id, op, value: period } }
  }
  const single: FieldDef = { ...field, required: false, ...(field.type === 'multiSelect' ? { type: 'select' } : {}), ...(field.type === 'link' ? { multiple: false } : {}) }
  if (op === 'contains') {
    const raw = (text.value ?? '').trim()
    if (!raw) return { ok: false, error: `${field.label}: type what it should contain` }
    if (field.type === 'multiSelect' || field.type === 'link') {
      const read = parseFieldInput(single, raw, ctx)
      return read.ok && typeof read.value === 'string' ? { ok: true, condition: { field: field.id, op, value: read.value } } : { ok: false, error: `${field.label}: ${read.ok ? 'pick one' : read.error}` }
    }
    return { ok: true, condition: { field: field.id, op, value: raw } }
  }
  if (op === 'equals') {
    if (field.type === 'checkbox') return { ok: true, condition: { field: field.id, op, value: /^(yes|true|1|on|✓)$/i.test((text.value ?? '').trim()) } }
    const read = parseFieldInput(single, text.value ?? '', ctx)
    if (!read.ok) return { ok: false, error: `${field.label}: ${read.error}` }
    if (read.value === null) return { ok: false, error: `${field.label}: type a value (or pick "is empty")` }
    return { ok: true, condition: { field: field.id, op, value: read.value } }
  }
  const bound = (raw: string | undefined): { ok: true; value: number | string | undefined } | { ok: false; error: string } => {
    if (raw === undefined || raw.trim() === '') return { ok: true, value: undefined }
    const as: FieldDef = field.type === 'dateTime' ? { ...single, type: 'date' } : single
    const read = parseFieldInput(as, raw, ctx)
    if (!read.ok) return { ok: false, error: `${field.label}: ${read.error}` }
    if (field.type === 'money') {
      const money = read.value as Money
      return { ok: true, value: money.amount / 10 ** currencyDigits(money.currency) }
    }
    return { ok: true, value: read.value as number | string }
  }
  const from = bound(text.from)
  if (!from.ok) return from
  const to = bound(text.to)
  if (!to.ok) return to
  if (from.value === undefined && to.value === undefined) return { ok: false, error: `${field.label}: give a from or a to` }
  return { ok: true, condition: { field: field.id, op, ...(from.value === undefined ? {} : { from: from.value }), ...(to.value === undefined ? {} : { to: to.value }) } }
}
