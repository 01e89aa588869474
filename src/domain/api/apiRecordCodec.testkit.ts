import type { EntityDef, FieldDef, FieldType, Row } from '../schema'

/** An entity with one field of every type (and a removed one), for the API's pure tests. */
export function everyTypeEntity(): EntityDef {
  const field = (key: string, type: FieldType, extra: Partial<FieldDef> = {}, order = 0): FieldDef => ({ id: `f_${key}`, key, label: key.replace(/_/g, ' '), type, order, ...extra })
  const fields: FieldDef[] = [
    field('title', 'text', { required: true }),
    field('notes', 'longText'),
    field('email', 'email'),
    field('phone', 'phone'),
    field('website', 'url'),
    field('score', 'number'),
    field('probability', 'number', { min: 0, max: 100 }),
    field('amount', 'money', { currency: 'EUR' }),
    field('close_date', 'date'),
    field('due', 'dateTime'),
    field('stage', 'select', { options: ['New', 'Won', 'Lost'] }),
    field('tags', 'multiSelect', { options: ['Hot', 'Cold', 'VIP'] }),
    field('active', 'checkbox'),
    field('company', 'link', { linkEntity: 'companies' }),
    field('contacts', 'link', { linkEntity: 'contacts', multiple: true }),
    field('owner', 'member'),
    field('old_field', 'text', { deletedAt: '2026-01-01T00:00:00.000Z' }),
  ].map((f, order) => ({ ...f, order }))
  return { id: 'things', key: 'things', label: 'Things', singular: 'Thing', primaryField: 'f_title', order: 0, fields }
}

/** The stored id of a field of everyTypeEntity by its API key. */
export const fid = (key: string) => `f_${key}`

export const MEMBERS = [{ id: 'm_ann', name: 'Ann Lee' }, { id: 'm_bob', name: 'Bob Stone' }]

export function row(id: string, values: Record<string, unknown>, createdAt = '2026-01-01T00:00:00.000Z', deletedAt?: string): Row {
  return {
    id,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [fid(k), v])) as Row['values'],
    createdAt,
    createdBy: 'm_ann',
    ...(deletedAt ? { deletedAt } : {}),
  }
}
