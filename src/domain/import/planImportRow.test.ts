import { describe, expect, it } from 'vitest'
import { resolveLinkText } from '../resolveLinkText'
import type { EntityDef, Row } from '../schema'
import { readCsvBytes } from './csvByteReader'
import { linkNameIndex } from './linkNameIndex'
import { columnMatchKey, importHeaderKey, matchImportColumns } from './matchImportColumns'
import { ImportDedupeError, ImportPlanner, type DedupeBy, type ImportDecision, type OnDuplicate } from './planImportRow'

const people: EntityDef = {
  id: 'p', key: 'people', label: 'People', singular: 'Person', primaryField: 'p.last', order: 0,
  fields: [
    { id: 'p.first', key: 'first_name', label: 'First name', type: 'text', order: 0 },
    { id: 'p.last', key: 'last_name', label: 'Last name', type: 'text', order: 1, required: true },
    { id: 'p.email', key: 'email', label: 'Email', type: 'email', order: 2 },
    { id: 'p.phone', key: 'phone', label: 'Phone', type: 'phone', order: 3 },
    { id: 'p.budget', key: 'budget', label: 'Budget', type: 'money', currency: 'EUR', order: 4 },
    { id: 'p.since', key: 'since', label: 'Customer since', type: 'date', order: 5 },
    { id: 'p.tier', key: 'tier', label: 'Tier', type: 'select', options: ['Gold', 'Silver'], order: 6 },
    { id: 'p.owner', key: 'owner', label: 'Owner', type: 'member', order: 7 },
    { id: 'p.company', key: 'company', label: 'Company', type: 'link', linkEntity: 'companies', order: 8 },
    { id: 'p.old', key: 'old', label: 'Old', type: 'text', order: 9, deletedAt: '2026-01-01T00:00:00Z' },
  ],
}

const companyNames = new Map([['c1', 'Acme GmbH'], ['c2', 'Globex'], ['c3', 'Globex']])
const existing: Row[] = [
  { id: 'r1', values: { 'p.first': 'Anna', 'p.last': 'Lee', 'p.email': 'anna@x.io', 'p.phone': '+4930123456' }, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm1' },
  { id: 'r2', values: { 'p.last': 'Gone', 'p.email': 'gone@x.io' }, createdAt: '2026-01-01T00:00:00Z', createdBy: 'm1', deletedAt: '2026-02-01T00:00:00Z' },
]

function planCsv(csv: string, dedupe?: DedupeBy, onDuplicate: OnDuplicate = 'skip', locale = 'de-DE') {
  const [header, ...rows] = readCsvBytes(new TextEncoder().encode(csv))
  const mapping = matchImportColumns(people, header!.cells)
  if (!mapping.ok) throw new Error('mapping refused')
  const links = linkNameIndex(companyNames)
  let n = 0
  const planner = new ImportPlanner({
    entity: people, columns: mapping.columns, existing, dedupe, onDuplicate, newId: () => `new${++n}`,
    parse: {
      locale, workspaceCountry: 'DE', timeZone: 'UTC', members: [{ id: 'm1', name: 'Mia Chef' }],
      resolveLink: (_, text) => { const r = links(text); return r.ok ? r.id : r.reason === 'many' ? { many: r.count } : undefined },
    },
  })
  return rows.map((r) => planner.plan(r))
}

const count = (decisions: ImportDecision[]) => ({
  create: decisions.filter((d) => d.kind === 'create').length,
  update: decisions.filter((d) => d.kind === 'update').length,
  skip: decisions.filter((d) => d.kind === 'skip').length,
  reject: decisions.filter((d) => d.kind === 'reject').length,
})

describe('matchImportColumns', () => {
  it('matches by label and API key ignoring case, spaces and accents; a field once; an explicit mapping wins', () => {
    const header = ['FIRST NAME', 'last_name', 'É-mail', 'Téléphone', 'Notes', 'email', 'Old']
    const auto = matchImportColumns(people, header)
    expect(auto.ok && auto.columns.map((f) => f?.key ?? null)).toEqual(['first_name', 'last_name', 'email', null, null, null, null])
    const explicit = matchImportColumns(people, header, { Téléphone: 'phone', 'é-mail': null, email: 'email' })
    expect(explicit.ok && explicit.columns.map((f) => f?.key ?? null)).toEqual(['first_name', 'last_name', null, 'phone', null, 'email', null])
  })

  it('refuses a mapping to a field the entity lacks or from a column the file lacks', () => {
    expect(matchImportColumns(people, ['a'], { a: 'nope', b: 'email' })).toEqual({ ok: false, problems: [
      { field: 'nope', message: expect.stringContaining('People has no field "nope"') },
      { field: 'b', message: 'the file has no column "b" (columns: a)' },
    ] })
  })

  it('remembers a mapping per header however its columns are spelled', () => {
    expect(importHeaderKey(['E-Mail', 'First Name'])).toBe(importHeaderKey(['email', 'first_name']))
    expect(importHeaderKey(['email', 'first_name'])).not.toBe(importHeaderKey(['first_name', 'email']))
    expect(columnMatchKey('Ünïcödé Näme')).toBe('unicodename')
  })
})

describe('ImportPlanner', () => {
  it('reads cells with the grid parsers and refuses a row with every problem, by field', () => {
    const decisions = planCsv([
      'First name;Last name;Email;Phone;Budget;Customer since;Tier;Owner;Company',
      'Bob;Smith;BOB@Example.com;030 1234567;1 234,50 €;27.11.2026;gold;mia chef;acme gmbh',
      'Eve;Ng;not-an-email;12;zwölf;31.02.2026;Bronze;Nobody;Globex',
      'Zoe;;zoe@x.io;;;;;;',
    ].join('\n'))
    expect(decisions[0]).toEqual({ kind: 'create', row: 2, id: 'new1', values: {
      'p.first': 'Bob', 'p.last': 'Smith', 'p.email': 'BOB@example.com', 'p.phone': '+49301234567',
      'p.budget': { amount: 123450, currency: 'EUR' }, 'p.since': '2026-11-27', 'p.tier': 'Gold', 'p.owner': 'm1', 'p.company': 'c1',
    } })
    expect(decisions[1]).toMatchObject({ kind: 'reject', row: 3 })
    const errors = (decisions[1] as { errors: { field: string; message: string }[] }).errors
    expect(errors.map((e) => e.field)).toEqual(['email', 'phone', 'budget', 'since', 'tier', 'owner', 'company'])
    expect(errors[0]!.message).toBe('Email: "not-an-email" is not an email address (expected name@example.com)')
    expect(errors[6]!.message).toBe('Company: 2 companies are named \u201cGlobex\u201d \u2014 pick one from the list')
    expect(decisions[2]).toEqual({ kind: 'reject', row: 4, errors: [{ field: 'last_name', message: 'Last name is required' }] })
  })

  it('reads dates in several formats the way the locale reads them; day-first slashes in en-US and month names are refused', () => {
    const decisions = planCsv('Last name,Customer since\nA,2026-11-27\nB,27.11.2026\nC,11/27/2026\nD,27/11/2026\nE,"Nov 27, 2026"', undefined, 'skip', 'en-US')
    expect(decisions.map((d) => (d.kind === 'create' ? d.values['p.since'] : d.kind))).toEqual(['2026-11-27', '2026-11-27', '2026-11-27', 'reject', 'reject'])
  })

  it.each<[DedupeBy, OnDuplicate, ReturnType<typeof count>]>([
    ['email', 'skip', { create: 3, update: 0, skip: 2, reject: 0 }],
    ['email', 'update', { create: 3, update: 2, skip: 0, reject: 0 }],
    ['email', 'create', { create: 5, update: 0, skip: 0, reject: 0 }],
    ['phone', 'skip', { create: 4, update: 0, skip: 1, reject: 0 }],
    ['name', 'skip', { create: 2, update: 0, skip: 3, reject: 0 }],
  ])('dedupe by %s, %s: against live records and earlier rows of the file', (by, onDuplicate, expected) => {
    const decisions = planCsv([
      'first_name,last_name,email,phone',
      'Anna,Lee,ANNA@x.io,', // the live r1 by email and name
      'Gone,Gone,gone@x.io,+49 30 999999', // r2 is deleted: new
      'Anna,Lee,other@x.io,+49 (30) 123-456', // r1 by name and phone
      'gone,  GONE,gone@x.io,', // the row above, by email and name
      'Tom,Ray,,', // no email, no phone: never a duplicate by them
    ].join('\n'), by, onDuplicate)
    expect(count(decisions)).toEqual(expected)
    if (by === 'email' && onDuplicate === 'update') {
      expect(decisions.filter((d) => d.kind === 'update').map((d) => (d as { id: string }).id)).toEqual(['r1', 'new1'])
    }
  })

  it('an update writes over the found record with the row\'s filled cells only', () => {
    const decisions = planCsv('email,phone,last_name\nanna@x.io,,Lee-Smith\nanna@x.io,+49 30 5555555,', 'email', 'update')
    expect(decisions).toEqual([
      { kind: 'update', row: 2, id: 'r1', values: { 'p.email': 'anna@x.io', 'p.last': 'Lee-Smith' } },
      { kind: 'update', row: 3, id: 'r1', values: { 'p.email': 'anna@x.io', 'p.phone': '+49305555555' } },
    ])
  })

  it('refuses to dedupe by a field the entity lacks', () => {
    const noPhone: EntityDef = { ...people, fields: people.fields.filter((f) => f.type !== 'phone') }
    expect(() => new ImportPlanner({ entity: noPhone, columns: [], existing: [], dedupe: 'phone', onDuplicate: 'skip', newId: () => 'x', parse: { locale: 'en-US' } })).toThrow(ImportDedupeError)
  })
})

describe('linkNameIndex', () => {
  it('answers as resolveLinkText does', () => {
    const find = linkNameIndex(companyNames)
    for (const text of ['c2', 'acme  gmbh', 'ACME GMBH', 'globex', 'Initech', ' c1 ']) expect(find(text)).toEqual(resolveLinkText(companyNames, text))
  })
})
