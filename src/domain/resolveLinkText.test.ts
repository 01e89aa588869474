import { describe, expect, test } from 'vitest'
import { resolveLinkText } from './resolveLinkText'

const names = new Map([
  ['c1', 'Acme GmbH'],
  ['c2', 'Beta AG'],
  ['c3', 'acme  gmbh'],
])

describe('resolveLinkText', () => {
  test('a record id is taken as is', () => {
    expect(resolveLinkText(names, ' c1 ')).toEqual({ ok: true, id: 'c1' })
  })
  test('one record of that name, ignoring case and spacing', () => {
    expect(resolveLinkText(names, 'BETA ag')).toEqual({ ok: true, id: 'c2' })
  })
  test('two records of that name: none is picked, the count is told', () => {
    expect(resolveLinkText(names, 'Acme GmbH')).toEqual({ ok: false, reason: 'many', count: 2 })
  })
  test('no record of that name', () => {
    expect(resolveLinkText(names, 'Gamma')).toEqual({ ok: false, reason: 'none' })
  })
})
