import { expect, test } from 'vitest'
import { cellLinkHref, cellLinkLabel } from './cellLinkHref'
import type { FieldDef } from './schema'

const field = (type: FieldDef['type']): FieldDef => ({ id: `f.${type}`, key: type, label: type, type, order: 0 })

test('email, phone and URL values link through safeLinkHref; other fields never link', () => {
  expect(cellLinkHref(field('email'), 'ann@example.com')).toEqual({ href: 'mailto:ann@example.com', kind: 'email' })
  expect(cellLinkHref(field('phone'), '+49301234567')).toEqual({ href: 'tel:+49301234567', kind: 'phone' })
  expect(cellLinkHref(field('url'), 'https://example.com/a')).toEqual({ href: 'https://example.com/a', kind: 'web' })
  expect(cellLinkHref(field('text'), 'https://example.com/a')).toBeNull()
})

test('a stored value that is not a safe link stays text', () => {
  expect(cellLinkHref(field('url'), 'javascript:alert(1)')).toBeNull()
  expect(cellLinkHref(field('url'), '//evil.example/x')).toBeNull()
})

test('the member\'s phone scheme dials: tel, sip or callto (issue 13), still held to the safe schemes', () => {
  expect(cellLinkHref(field('phone'), '+49301234567', 'sip')?.href).toBe('sip:+49301234567')
  expect(cellLinkHref(field('phone'), '+49301234567', 'callto')).toEqual({ href: 'callto:+49301234567', kind: 'phone' })
  expect(cellLinkHref(field('phone'), '+49301234567 ext. 12', 'callto')?.href).toBe('callto:+49301234567 ext. 12')
  // a stored value cannot smuggle another scheme in behind the chosen one
  expect(cellLinkHref(field('phone'), 'javascript:alert(1)', 'callto')?.href).not.toMatch(/^javascript/i)
})

test('the open button says what it does', () => {
  expect(cellLinkLabel({ href: 'mailto:a@b.c', kind: 'email' }, 'a@b.c')).toBe('Email a@b.c')
  expect(cellLinkLabel({ href: 'tel:+1', kind: 'phone' }, '+1')).toBe('Call +1')
  expect(cellLinkLabel({ href: 'https://x.y/', kind: 'web' }, 'x.y')).toBe('Open x.y in a new tab')
})
