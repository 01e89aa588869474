import { describe, expect, it } from 'vitest'
import { defaultSchema } from './defaultSchema'
import { findRowByContact } from './findRowByContact'
import { findEntity, type Row } from './schema'

const contacts = findEntity(defaultSchema(), 'contacts')!
const row = (id: string, values: Row['values'], deletedAt?: string): Row => ({ id, values, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm', ...(deletedAt ? { deletedAt } : {}) })

describe('findRowByContact', () => {
  const rows = [
    row('gone', { 'contacts.phone': '+49301234567' }, '2026-02-01T00:00:00Z'),
    row('ann', { 'contacts.email': 'Ann@Example.com', 'contacts.phone': '+49301234567 ext. 12' }),
    row('bob', { 'contacts.phone': '+4989555' }),
  ]

  it('finds a live record by phone, ignoring a stored extension', () => {
    expect(findRowByContact(contacts, rows, { phone: '+49301234567' })?.id).toBe('ann')
    expect(findRowByContact(contacts, rows, { phone: '+4989555' })?.id).toBe('bob')
    expect(findRowByContact(contacts, rows, { phone: '+4911111' })).toBeNull()
  })

  it('finds by email without case, and in custom phone fields too', () => {
    expect(findRowByContact(contacts, rows, { email: 'ann@example.COM' })?.id).toBe('ann')
    const mobile = { ...contacts, fields: [...contacts.fields, { id: 'x1', key: 'mobile', label: 'Mobile', type: 'phone' as const, order: 99 }] }
    expect(findRowByContact(mobile, [row('cy', { x1: '+4917100000' })], { phone: '+4917100000' })?.id).toBe('cy')
  })

  it('nothing to look for finds nothing', () => {
    expect(findRowByContact(contacts, rows, {})).toBeNull()
  })
})
