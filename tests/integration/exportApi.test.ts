import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { CSV_TYPE, XLSX_TYPE } from '../../server/api/importRoute'
import { addField, readSchema } from '../../src/crdt/schemaDoc'
import { createView } from '../../src/crdt/viewDoc'
import { readXlsxRows } from '../../src/domain/import/readXlsxRows'
import { ADMIN_TOKEN, api, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function relay() {
  const started = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

async function exportFile(url: string, entity: string, query: string, token = ADMIN_TOKEN, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1/${entity}/export${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } })
  const bytes = new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }
}

/** The custom fields of the round trip: every type the default deal lacks. */
const CUSTOM_FIELDS = [
  { label: 'Notes', type: 'longText' as const },
  { label: 'Tags', type: 'multiSelect' as const, options: ['hot', 'cold', 'vip'] },
  { label: 'Next call', type: 'dateTime' as const },
  { label: 'Won', type: 'checkbox' as const },
  { label: 'Contact email', type: 'email' as const },
  { label: 'Hotline', type: 'phone' as const },
  { label: 'Website', type: 'url' as const },
]

async function withCustomFields(started: Awaited<ReturnType<typeof relay>>): Promise<void> {
  const admin = scope.client(started.syncUrl, 'schema', ADMIN_TOKEN)
  await admin.synced
  for (const field of CUSTOM_FIELDS) addField(admin.doc, 'deals', field, null)
  let keys: string[] = []
  await waitFor(() => {
    void api(started.url, '/schema').then((r) => { keys = r.body.entities.find((e: { key: string }) => e.key === 'deals').fields.map((f: { key: string }) => f.key) })
    return keys.includes('website')
  }, 'the custom fields in the relay\'s schema')
}

type ApiRecord = Record<string, unknown> & { id: string }

/** An entity's records as the API shows them, without ids and times, links and members by name, in a fixed order (an import's records share their creation time). */
async function comparable(url: string, entity: string, names: Map<string, string>): Promise<Record<string, unknown>[]> {
  const rows = (await api(url, `/${entity}?limit=1000&sort=created_at`)).body.data as ApiRecord[]
  return rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) {
      if (key === 'id' || key === 'created_at' || key === 'updated_at' || key === 'created_by') continue
      out[key] = typeof value === 'string' && names.has(value) ? names.get(value) : Array.isArray(value) ? value.map((v) => names.get(v as string) ?? v) : value
    }
    return out
  }).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

describe('GET /api/v1/{entity}/export (issue 18)', () => {
  it('exports the list\'s filters, sort and chosen columns, or a saved view\'s, as CSV and XLSX', async () => {
    const { url, syncUrl } = await relay()
    const acme = (await api(url, '/companies', { method: 'POST', body: { name: 'Acme' } })).body.id as string
    for (const [title, amount, close] of [['Small', 100, '2026-01-05'], ['=HYPERLINK("x")', -250.5, '2026-02-01'], ['Big', 9000, '2026-03-01'], ['Other', 50, null]] as const) {
      const created = await api(url, '/deals', { method: 'POST', body: { title, amount: { amount, currency: 'EUR' }, close_date: close, company: title === 'Other' ? null : acme, probability: title === 'Big' ? -1 + 51 : 10 } })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
    }
    const csv = await exportFile(url, 'deals', `?format=csv&company=${acme}&sort=-amount&fields=title,amount,company,probability`)
    expect(csv.status, csv.text).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="deals-all-\d{4}-\d{2}-\d{2}\.csv"/)
    expect(csv.headers.get('x-record-count')).toBe('3')
    expect(csv.text.startsWith('\uFEFF')).toBe(true)
    expect(csv.text.replace(/^\uFEFF/, '')).toBe([
      'Title,Amount,Company,Company (id),Probability %',
      `Big,"€9,000.00",Acme,${acme},50`,
      `Small,€100.00,Acme,${acme},10`,
      // formula-like text neutralised, a negative amount left a number
      `"'=HYPERLINK(""x"")",-€250.50,Acme,${acme},10`,
      '',
    ].join('\r\n'))
    // ranges and the search, in German
    const german = await exportFile(url, 'deals', '?close_date[gte]=2026-02-01&q=b&fields=title,close_date,amount', ADMIN_TOKEN, { 'accept-language': 'de-DE' })
    expect(german.text).toBe('\uFEFFTitle,Close date,Amount\r\nBig,1.3.2026,"9.000,00 €"\r\n')
    // a saved view: its conditions, its sort and its visible columns in its order (the fields it does not name after them)
    const client = scope.client(syncUrl, 'schema', ADMIN_TOKEN)
    await client.synced
    const dealsDef = readSchema(client.doc).entities.find((e) => e.key === 'deals')!
    const view = createView(client.doc, { entity: dealsDef, shared: true, owner: 'admin', spec: {
      name: 'Big deals', filters: [{ field: 'deals.amount', op: 'range', from: 60 }], sort: [{ field: 'deals.close_date', desc: true }],
      columns: [{ field: 'deals.amount' }, { field: 'deals.title' }, ...dealsDef.fields.filter((f) => f.id !== 'deals.amount' && f.id !== 'deals.title').map((f) => ({ field: f.id, hidden: true }))],
    } }, 'test')
    let viewed = { status: 0, text: '', headers: new Headers() }
    await waitFor(() => {
      void exportFile(url, 'deals', `?view=${view.id}`).then((r) => { viewed = r })
      return viewed.status === 200
    }, 'the view stored')
    expect(viewed.headers.get('content-disposition')).toMatch(/filename="deals-big-deals-\d{4}-\d{2}-\d{2}\.csv"/)
    expect(viewed.text).toBe('\uFEFFAmount,Title\r\n"€9,000.00",Big\r\n€100.00,Small\r\n')
    // XLSX: the same rows, numbers as numbers
    const xlsx = await exportFile(url, 'deals', `?format=xlsx&company=${acme}&sort=-amount&fields=title,amount,probability`)
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-type')).toBe(XLSX_TYPE)
    expect(readXlsxRows(xlsx.bytes).map((r) => r.cells)).toEqual([
      ['Title', 'Amount', 'Probability %'], ['Big', '9000.00 EUR', '50'], ['Small', '100.00 EUR', '10'], ['=HYPERLINK("x")', '-250.50 EUR', '10'],
    ])
  })

  it('lets anyone who may list the entity export it, and names each bad parameter', async () => {
    const { url, storage } = await relay()
    await api(url, '/contacts', { method: 'POST', body: { first_name: 'Ann', last_name: 'Lee' } })
    const vera = createMember(storage, { name: 'Vera', role: 'viewer' })
    expect((await exportFile(url, 'contacts', '', vera.token)).text).toContain('Ann,Lee')
    expect((await exportFile(url, 'contacts', '', 'not-a-token')).status).toBe(401)
    expect((await exportFile(url, 'nothing', '')).status).toBe(404)
    const bad = await exportFile(url, 'contacts', '?format=pdf&limit=10&fields=last_name,shoe_size&sort=height')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text).errors.map((e: { field: string }) => e.field).sort()).toEqual(['fields', 'format', 'limit', 'sort'])
    expect((await exportFile(url, 'contacts', '?view=s.nosuchview1')).status).toBe(404)
  })

  it('streams a big export as it is written; a client leaving mid-export leaves the relay answering', async () => {
    const { url } = await relay()
    const rows = Array.from({ length: 20_000 }, (_, i) => `Ann ${i},Lee,ann${i}@example.com,Position ${i % 17}`)
    const imported = await fetch(`${url}/api/v1/contacts/import`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': CSV_TYPE }, body: `First name,Last name,Email,Position\n${rows.join('\n')}\n` })
    expect((await imported.json()).created).toBe(20_000)
    // the first bytes arrive long before the last
    const whole = await fetch(`${url}/api/v1/contacts/export?format=csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    const reader = whole.body!.getReader()
    let pieces = 0
    let text = ''
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) { pieces++; text += decoder.decode(chunk.value, { stream: true }) }
    expect(pieces).toBeGreaterThan(3)
    expect(text.trimEnd().split('\r\n')).toHaveLength(20_001)
    // clients that leave after the first bytes (the relay stops on the socket's close)
    for (const format of ['csv', 'xlsx']) {
      const leaving = new AbortController()
      const started = await fetch(`${url}/api/v1/contacts/export?format=${format}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: leaving.signal })
      await started.body!.getReader().read()
      leaving.abort()
    }
    const after = await api(url, '/contacts?limit=1')
    expect(after.status).toBe(200)
    expect((await exportFile(url, 'contacts', '?fields=email&q=ann19999')).text).toBe('\uFEFFEmail\r\nann19999@example.com\r\n')
  })

  it('round trip: CSV and XLSX exports import into a fresh relay as the same records, every field type', async () => {
    const source = await relay()
    await withCustomFields(source)
    createMember(source.storage, { name: 'Ann Owner', role: 'editor' })
    const ann = source.storage.listMembers().find((m) => m.name === 'Ann Owner')!
    const companies = []
    for (const [name, phone, website] of [['Acme GmbH', '+49 30 1234567', 'acme.example'], ['=Evil Corp', '+1 201 555 0123', null]] as const) {
      const made = await api(source.url, '/companies', { method: 'POST', body: { name, phone, website, industry: 'Retail', owner: ann.id, address: 'Line 1\nLine 2' } })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      companies.push(made.body.id as string)
    }
    const contacts = []
    for (const [first, last, company] of [['Ada', 'Lovelace', companies[0]], ['Alan', '-Turing', companies[1]]] as const) {
      const made = await api(source.url, '/contacts', { method: 'POST', body: { first_name: first, last_name: last, email: `${first.toLowerCase()}@x.io`, company, owner: ann.id } })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      contacts.push(made.body.id as string)
    }
    const deals = [
      { title: 'Renewal', company: companies[0], contacts: [contacts[0], contacts[1]], amount: { amount: 1234.5, currency: 'EUR' }, close_date: '2026-11-27', probability: 55.5, owner: ann.id, source: 'Referral',
        notes: 'two lines,\nwith "quotes"', tags: ['hot', 'vip'], next_call: '2026-11-27T14:05:30.000Z', won: true, contact_email: 'ada@x.io', hotline: '+12015550123', website: 'https://example.com/a' },
      { title: '@SUM(A1)', company: companies[1], contacts: [contacts[1]], amount: { amount: -5, currency: 'USD' }, close_date: '1999-01-02', probability: 0, lost_reason: '+1 was cheaper',
        tags: ['cold'], next_call: '2026-03-29T01:30:00.000Z', won: false, hotline: '+493012345678' },
      { title: 'Yen deal', amount: { amount: 99, currency: 'JPY' }, notes: '=cmd|\' /C calc\'!A0' },
    ]
    for (const deal of deals) {
      const made = await api(source.url, '/deals', { method: 'POST', body: deal })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
    }
    const namesOf = async (url: string) => {
      const names = new Map<string, string>()
      for (const c of (await api(url, '/companies?limit=1000')).body.data as ApiRecord[]) names.set(c.id, `company ${c.name as string}`)
      for (const c of (await api(url, '/contacts?limit=1000')).body.data as ApiRecord[]) names.set(c.id, `contact ${c.first_name as string} ${c.last_name as string}`)
      for (const m of (url === source.url ? source : target!).storage.listMembers()) names.set(m.id, `member ${m.name}`)
      return names
    }
    let target: Awaited<ReturnType<typeof relay>> | undefined
    for (const format of ['csv', 'xlsx'] as const) {
      target = await relay()
      await withCustomFields(target)
      createMember(target.storage, { name: 'Ann Owner', role: 'editor' })
      for (const entity of ['companies', 'contacts', 'deals']) {
        const file = await exportFile(source.url, entity, `?format=${format}`)
        expect(file.status, file.text).toBe(200)
        const res = await fetch(`${target.url}/api/v1/${entity}/import`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': format === 'csv' ? CSV_TYPE : XLSX_TYPE }, body: Buffer.from(file.bytes) })
        const summary = await res.json()
        expect(summary, `${format} ${entity}`).toMatchObject({ created: entity === 'deals' ? 3 : 2, rejected: [] })
      }
      const [sourceNames, targetNames] = [await namesOf(source.url), await namesOf(target.url)]
      for (const entity of ['companies', 'contacts', 'deals']) {
        const expected = await comparable(source.url, entity, sourceNames)
        expect(await comparable(target.url, entity, targetNames), `${format} ${entity}`).toEqual(expected)
      }
    }
  })
})
