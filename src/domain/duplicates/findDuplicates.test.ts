import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type FieldValue, type Row } from '../schema'
import { companyNameKey, personNameKey, phoneKey } from './duplicateKeys'
import { findDuplicates } from './findDuplicates'
import { distinctKey } from './mergeNotes'
import { withinEdits } from './withinEdits'
import { seededRandom } from '../seededRandom'

const schema = defaultSchema()
const contacts = findEntity(schema, 'contacts')!
const companies = findEntity(schema, 'companies')!
const leads = findEntity(schema, 'leads')!

let clock = 0
function row(entity: typeof contacts, id: string, byKey: Record<string, FieldValue>, extra: Partial<Row> = {}): Row {
  const values: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(byKey)) values[`${entity.id}.${key}`] = value
  clock++
  return { id, values, createdAt: `2026-01-01T00:00:${String(clock % 60).padStart(2, '0')}.${String(clock).padStart(3, '0')}Z`, createdBy: 'm1', ...extra }
}

describe('duplicate keys', () => {
  it('reads people without case, accents, punctuation or word order', () => {
    expect(personNameKey('Müller, Jörg')).toBe(personNameKey('jorg  MULLER'))
    expect(personNameKey('Ann-Marie Lee')).toBe('ann lee marie')
  })
  it('reads companies without their legal form', () => {
    expect(companyNameKey('ACME Inc.')).toBe('acme')
    expect(companyNameKey('Acme GmbH')).toBe('acme')
    expect(companyNameKey('The Company')).toBe('the company')
  })
  it('compares phones on their number, extension left out', () => {
    expect(phoneKey('+49301234567 ext. 12')).toBe('+49301234567')
    expect(phoneKey('+1 (415) 555-0100')).toBe('+14155550100')
    expect(phoneKey('12-34')).toBeNull()
  })
  it('counts typos: a letter added, dropped, changed, or two swapped', () => {
    expect(withinEdits('jonathan', 'johnathan', 1)).toBe(true)
    expect(withinEdits('kowalski', 'kowalksi', 1)).toBe(true)
    expect(withinEdits('kowalski', 'kovalksi', 1)).toBe(false)
    expect(withinEdits('kowalski', 'kovalksi', 2)).toBe(true)
    expect(withinEdits('anna', 'peter', 2)).toBe(false)
    // what both share at either end is left out before counting
    expect(withinEdits('ab', 'ba', 1)).toBe(true)
    expect(withinEdits('xkowalski', 'kowalski', 1)).toBe(true)
    expect(withinEdits('anna lee x', 'anna lee y', 0)).toBe(false)
    expect(withinEdits('margarethe kowalski', 'margarete kowalsky', 2)).toBe(true)
    expect(withinEdits('margarethe kowalski', 'margaret kowalsky', 2)).toBe(false)
  })
})

describe('findDuplicates', () => {
  it('groups contacts by email without case and spaces, by phone, by name in any order, and says why', () => {
    const rows = [
      row(contacts, 'a', { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' }),
      row(contacts, 'b', { first_name: 'Annie', last_name: 'Lee-Jones', email: ' ANN@example.com' }),
      row(contacts, 'c', { first_name: 'Bob', last_name: 'Stone', phone: '+4930123456 ext. 7' }),
      row(contacts, 'd', { first_name: 'Robert', last_name: 'Stein', phone: '+4930123456' }),
      row(contacts, 'e', { first_name: 'Lee', last_name: 'Ann' }),
      row(contacts, 'f', { first_name: 'Carla', last_name: 'Diaz' }),
    ]
    expect(findDuplicates(contacts, rows)).toEqual([
      { ids: ['a', 'b', 'e'], reasons: ['email', 'name'] },
      { ids: ['c', 'd'], reasons: ['phone'] },
    ])
  })

  it('finds names a typo apart, also when the typo is in the first letters', () => {
    const rows = [
      row(contacts, 'a', { first_name: 'Jonathan', last_name: 'Smithers' }),
      row(contacts, 'b', { first_name: 'Johnathan', last_name: 'Smithers' }),
      row(contacts, 'c', { first_name: 'Margarethe', last_name: 'Kowalski' }),
      row(contacts, 'd', { first_name: 'Margarethe', last_name: 'Kovalski' }),
      row(contacts, 'e', { first_name: 'Li', last_name: 'Wu' }),
      row(contacts, 'f', { first_name: 'Lu', last_name: 'Wu' }),
    ]
    const groups = findDuplicates(contacts, rows)
    expect(groups).toEqual([
      { ids: ['a', 'b'], reasons: ['similarName'] },
      { ids: ['c', 'd'], reasons: ['similarName'] },
    ])
  })

  it('matches companies across legal forms and leads on the person\'s name, not the title', () => {
    const firms = [
      row(companies, 'x', { name: 'ACME Inc.' }),
      row(companies, 'y', { name: 'Acme GmbH' }),
      row(companies, 'z', { name: 'Globex' }),
    ]
    expect(findDuplicates(companies, firms)).toEqual([{ ids: ['x', 'y'], reasons: ['name'] }])
    const asks = [
      row(leads, 'l1', { title: 'Website inquiry', name: 'Ann Lee' }),
      row(leads, 'l2', { title: 'Website inquiry', name: 'Bob Stone' }),
      row(leads, 'l3', { title: 'Call back', name: 'Lee Ann' }),
    ]
    expect(findDuplicates(leads, asks)).toEqual([{ ids: ['l1', 'l3'], reasons: ['name'] }])
  })

  it('leaves out deleted records and pairs marked as not duplicates', () => {
    const rows = [
      row(contacts, 'a', { last_name: 'One', email: 'x@example.com' }),
      row(contacts, 'b', { last_name: 'Two', email: 'x@example.com' }, { deletedAt: '2026-02-01T00:00:00Z' }),
      row(contacts, 'c', { last_name: 'Three', email: 'y@example.com' }),
      row(contacts, 'd', { last_name: 'Four', email: 'y@example.com' }),
    ]
    rows[2]!.values[distinctKey('d')] = { at: '2026-02-01T00:00:00Z', by: 'm1' } as unknown as FieldValue
    expect(findDuplicates(contacts, rows)).toEqual([])
  })

  it('stays near-linear: 20k records with 200 planted duplicates', () => {
    const random = seededRandom(18)
    const word = () => Array.from({ length: random.int(5, 9) }, () => String.fromCharCode(97 + random.int(0, 25))).join('')
    const rows: Row[] = []
    for (let i = 0; i < 20_000; i++) rows.push(row(contacts, `r${i}`, { first_name: word(), last_name: word(), email: `p${i}@example.com` }))
    for (let i = 0; i < 200; i++) rows.push(row(contacts, `d${i}`, { first_name: word(), last_name: word(), email: `P${i * 10}@example.com` }))
    const groups = findDuplicates(contacts, rows)
    expect(groups.filter((g) => g.reasons.includes('email'))).toHaveLength(200)
    expect(groups.every((g) => g.ids.length === 2)).toBe(true)
  })
})
