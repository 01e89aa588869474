import { matchImportColumns } from '../import/matchImportColumns'
import type { ImportRow } from '../import/importRow'
import { ImportPlanner } from '../import/planImportRow'
import type { EntityDef, Row } from '../schema'
import type { ParseContext } from '../parseFieldInput'

/** An entity with a field of every type, the records the export tests write, and what reads them back. */
export const everyType: EntityDef = {
  id: 'deals', key: 'deals', label: 'Deals', singular: 'Deal', primaryField: 'd.title', order: 0,
  fields: [
    { id: 'd.title', key: 'title', label: 'Title', type: 'text', order: 0 },
    { id: 'd.notes', key: 'notes', label: 'Notes', type: 'longText', order: 1 },
    { id: 'd.qty', key: 'qty', label: 'Quantity', type: 'number', order: 2 },
    { id: 'd.amount', key: 'amount', label: 'Amount', type: 'money', currency: 'EUR', order: 3 },
    { id: 'd.close', key: 'close_date', label: 'Close date', type: 'date', order: 4 },
    { id: 'd.call', key: 'next_call', label: 'Next call', type: 'dateTime', order: 5 },
    { id: 'd.kind', key: 'kind', label: 'Kind', type: 'select', options: ['New', 'Renewal'], order: 6 },
    { id: 'd.tags', key: 'tags', label: 'Tags', type: 'multiSelect', options: ['hot', 'cold', 'vip'], order: 7 },
    { id: 'd.won', key: 'won', label: 'Won', type: 'checkbox', order: 8 },
    { id: 'd.email', key: 'email', label: 'Email', type: 'email', order: 9 },
    { id: 'd.phone', key: 'phone', label: 'Phone', type: 'phone', order: 10 },
    { id: 'd.site', key: 'site', label: 'Website', type: 'url', order: 11 },
    { id: 'd.company', key: 'company', label: 'Company', type: 'link', linkEntity: 'companies', order: 12 },
    { id: 'd.owner', key: 'owner', label: 'Owner', type: 'member', order: 13 },
    { id: 'd.gone', key: 'gone', label: 'Gone', type: 'text', order: 14, deletedAt: '2026-01-01T00:00:00.000Z' },
  ],
}

export const companyNames = new Map([['c1', 'Acme GmbH'], ['c2', 'Beta Ltd']])
export const members = [{ id: 'm1', name: 'Ada Lovelace' }, { id: 'm2', name: 'Alan Turing' }]

export const parseContext = (locale = 'en-US'): ParseContext => ({
  locale, defaultCountry: 'US', timeZone: 'UTC', members,
  resolveLink: (entityId, text) => {
    if (entityId !== 'companies') return undefined
    if (companyNames.has(text.trim())) return text.trim()
    return [...companyNames].find(([, name]) => name === text.trim())?.[0]
  },
})

const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-12-01T09:00:00.000Z', createdBy: 'm1' })

/** Every type filled, formula-like text, negative numbers and amounts, a dollar amount, an unticked box, empty cells. */
export const exportRows: Row[] = [
  row('r1', {
    'd.title': 'Acme renewal', 'd.notes': 'two lines,\nwith "quotes"', 'd.qty': 1234.5, 'd.amount': { amount: 123450, currency: 'EUR' },
    'd.close': '2026-11-27', 'd.call': '2026-11-27T14:05:30.000Z', 'd.kind': 'Renewal', 'd.tags': ['hot', 'vip'], 'd.won': true,
    'd.email': 'ada@example.com', 'd.phone': '+12015550123', 'd.site': 'https://example.com/a', 'd.company': 'c1', 'd.owner': 'm1',
  }),
  row('r2', {
    'd.title': '=HYPERLINK("http://evil","x")', 'd.notes': '@SUM(A1)', 'd.qty': -3, 'd.amount': { amount: -500, currency: 'USD' },
    'd.close': '1999-01-02', 'd.call': '2026-03-29T01:30:00.000Z', 'd.kind': 'New', 'd.tags': ['cold'], 'd.won': false,
    'd.email': 'b@example.org', 'd.phone': '+493012345678', 'd.company': 'c2', 'd.owner': 'm2',
  }),
  row('r3', { 'd.title': '+1 (555) call me', 'd.notes': '-minus first', 'd.qty': 0, 'd.amount': { amount: 99, currency: 'JPY' } }),
  // (a text beginning with a tab or a carriage return cannot be stored: the parsers trim text, as the grid does)
  row('r4', { 'd.title': '@handle', 'd.notes': '=cmd|\' /C calc\'!A0', 'd.amount': { amount: 100, currency: 'CAD' } }),
]

/** The rows an import plans from `rows` under `header`, as stored values by field id. */
export function importedValues(fileRows: readonly ImportRow[], locale = 'en-US'): Row['values'][] {
  const [header, ...rows] = fileRows
  const mapping = matchImportColumns(everyType, header!.cells)
  if (!mapping.ok) throw new Error(JSON.stringify(mapping.problems))
  let n = 0
  const planner = new ImportPlanner({ entity: everyType, columns: mapping.columns, parse: parseContext(locale), existing: [], onDuplicate: 'create', newId: () => `new${++n}` })
  return rows.map((row) => {
    const decision = planner.plan(row)
    if (decision.kind !== 'create') throw new Error(`row ${row.row}: ${JSON.stringify(decision)}`)
    return decision.values
  })
}

/** The live fields' values of a row, without empty ones (what an import can give back). */
export const liveValues = (row: Row): Row['values'] =>
  Object.fromEntries(Object.entries(row.values).filter(([id, v]) => v !== null && v !== undefined && !everyType.fields.find((f) => f.id === id)?.deletedAt))
