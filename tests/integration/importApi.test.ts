import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { request } from 'node:http'
import { CSV_TYPE, MAX_IMPORT_BYTES, XLSX_TYPE } from '../../server/api/importRoute'
import { readRuns, setRuleEnabled } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC, entityDocName } from '../../src/crdt/docNames'
import { readLiveRows, recordsOf } from '../../src/crdt/recordDoc'
import { xlsxFixture } from '../../src/domain/import/xlsxFixture.testkit'
import { ADMIN_TOKEN, api, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()

async function relay() {
  const started = await startTestRelay({ apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

async function importFile(url: string, entity: string, body: Uint8Array | string, type: string, query = '', token = ADMIN_TOKEN, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1/${entity}/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type, ...headers }, body: typeof body === 'string' ? body : Buffer.from(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

interface ApiContact { id: string; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; position: string | null; company: string | null }

async function contacts(url: string): Promise<ApiContact[]> {
  return (await api(url, '/contacts?limit=1000')).body.data
}

describe('POST /api/v1/{entity}/import (issue 18)', () => {
  it('a Windows-1251 CSV with semicolons: refused rows with every reason, quoted newlines, empty rows, dedupe by email updating', async () => {
    const { url } = await relay()
    const company = await api(url, '/companies', { method: 'POST', body: { name: 'Ромашка' } })
    const anna = await api(url, '/contacts', { method: 'POST', body: { first_name: 'Anna', last_name: 'Lee', email: 'anna@x.io', position: 'CEO' } })
    expect(anna.status).toBe(201)
    const csv = [
      'Имя;Фамилия;E-Mail;Телефон;Должность;Компания',
      'Иван;Петров;ivan@x.ru;+7 495 123-45-67;"Директор,\r\nпродажи";ромашка',
      '',
      'Пётр;Сидоров;not-an-email;12;;Нет такой',
      'Anna;Lee;ANNA@x.io;;"Chief ""Executive""";',
      ';;;;;',
      'Ivan;Petrov;ivan@x.ru;;Head;',
      'Ольга;;olga@x.ru;;;',
    ].join('\r\n')
    const bytes = new Uint8Array(encode1251(csv))
    const mapping = encodeURIComponent(JSON.stringify({ Имя: 'first_name', Фамилия: 'last_name', 'E-Mail': 'email', Телефон: 'phone', Должность: 'position', Компания: 'company' }))
    const result = await importFile(url, 'contacts', bytes, `${CSV_TYPE}; charset=windows-1251`, `?mapping=${mapping}&dedupe=email&on_duplicate=update`)
    expect(result.status, JSON.stringify(result.body)).toBe(200)
    expect(result.body).toEqual({
      created: 2,
      updated: 2,
      skipped: 0,
      rejected: [
        { row: 4, errors: [
          { field: 'email', message: 'Email: "not-an-email" is not an email address (expected name@example.com)' },
          { field: 'phone', message: expect.stringMatching(/^Phone: "12" /) },
          { field: 'company', message: 'Company: no Companies record named "Нет такой" (type a name as shown in Companies)' },
        ] },
      ],
    })
    const rows = await contacts(url)
    expect(rows).toHaveLength(3)
    expect(rows.find((c) => c.email === 'olga@x.ru')).toMatchObject({ first_name: 'Ольга', last_name: null })
    const ivan = rows.find((c) => c.email === 'ivan@x.ru')!
    // the file's second Ivan row updated the record its first row created
    expect(ivan).toMatchObject({ first_name: 'Ivan', last_name: 'Petrov', phone: '+74951234567', position: 'Head', company: company.body.id })
    expect(rows.find((c) => c.id === anna.body.id)).toMatchObject({ first_name: 'Anna', email: 'ANNA@x.io', position: 'Chief "Executive"' })
  })

  it('an XLSX with a refused row, dates and money read as the grid reads them, and a dedupe by name skipping', async () => {
    const { url } = await relay()
    await api(url, '/deals', { method: 'POST', body: { title: 'Old deal' } })
    const bytes = xlsxFixture({
      1: [{ s: 'Title' }, { s: 'Amount' }, { s: 'Close date' }, { s: 'Notes' }],
      2: [{ s: 'Big deal' }, { n: 1234.5 }, { n: 46353, style: 1 }, { s: 'left out' }],
      3: [{ s: 'Typed deal' }, { s: '1 234,50 €' }, { s: '27.11.2026' }],
      4: [{ s: 'Bad deal' }, { s: 'lots' }, { s: '31.02.2026' }],
      6: [{ s: 'OLD  deal' }, { n: 5 }],
      7: [{ s: 'big deal' }],
    })
    const result = await importFile(url, 'deals', bytes, XLSX_TYPE, '?dedupe=name&on_duplicate=skip')
    expect(result.status, JSON.stringify(result.body)).toBe(200)
    expect(result.body).toEqual({
      created: 2, updated: 0, skipped: 2,
      rejected: [{ row: 4, errors: [
        { field: 'amount', message: expect.stringMatching(/^Amount: "lots" is not an amount of money/) },
        { field: 'close_date', message: expect.stringMatching(/^Close date: "31.02.2026" is not a valid date/) },
      ] }],
    })
    const deals = (await api(url, '/deals?limit=100')).body.data as { title: string; amount: unknown; close_date: string | null }[]
    expect(deals.map((d) => d.title).sort()).toEqual(['Big deal', 'Old deal', 'Typed deal'])
    for (const title of ['Big deal', 'Typed deal']) {
      expect(deals.find((d) => d.title === title)).toMatchObject({ amount: { amount: 1234.5, currency: 'EUR' }, close_date: '2026-11-27' })
    }
  })

  it('imported leads fire their rules once each, as a POST does', async () => {
    const relay = await startTestRelay({ apiRateLimit: null })
    scope.cleanups.push(() => relay.close())
    const admin = scope.client(relay.syncUrl, AUTOMATION_DOC, ADMIN_TOKEN)
    await admin.synced
    setRuleEnabled(admin.doc, 'call-new-leads', true)
    await waitFor(() => relay.storage.loadDocument(AUTOMATION_DOC).length >= 2, 'the rule switched on and stored')
    const ann = createMember(relay.storage, { name: 'Ann', role: 'editor' })
    const csv = 'title,email,owner\nLead one,one@x.io,Ann\nLead two,two@x.io,Ann\nLead three,bad,Ann\n'
    const result = await importFile(relay.url, 'leads', csv, CSV_TYPE, '', ann.token)
    expect(result.body).toMatchObject({ created: 2, updated: 0, skipped: 0, rejected: [{ row: 4 }] })
    const leads = (await api(relay.url, '/leads')).body.data as { id: string }[]
    const calls = (await api(relay.url, '/activities?limit=200')).body.data as { related_lead: string; type: string; owner: string }[]
    expect(leads).toHaveLength(2)
    for (const lead of leads) expect(calls.filter((c) => c.related_lead === lead.id)).toEqual([expect.objectContaining({ type: 'call', owner: ann.member.id })])
    await waitFor(() => [...(readRuns(admin.doc).get('call-new-leads') ?? [])].reduce((n, l) => n + l.count, 0) === 2, 'two firings logged')
  })

  it('a member connected to the entity gets the imported records through the normal sync, a batch of at most 100 per update, each stored whole', async () => {
    // SQLite storage: the history is written by its own thread there
    const started = await startTestRelay({ apiRateLimit: null, dataDir: makeTempDir() })
    scope.cleanups.push(() => started.close())
    const { url, syncUrl } = started
    const member = scope.client(syncUrl, entityDocName('contacts'), ADMIN_TOKEN)
    await member.synced
    // what each update from the relay added: one transaction per update it sends
    const perUpdate: number[] = []
    recordsOf(member.doc).observe((event, transaction) => {
      if (transaction.origin === member.provider) perUpdate.push(event.changes.keys.size)
    })
    const rows = 1000
    const csv = ['First name,Last name,Email', ...Array.from({ length: rows }, (_, i) => `F${i},L${i},c${i}@x.io`)].join('\n')
    const result = await importFile(url, 'contacts', csv, CSV_TYPE)
    expect(result.body).toEqual({ created: rows, updated: 0, skipped: 0, rejected: [] })
    await waitFor(() => readLiveRows(member.doc).length === rows, 'every imported contact on the member\'s copy', 20_000)
    // a browser applies each update in one task: an import's never holds thousands of records
    expect(Math.max(...perUpdate)).toBeLessThanOrEqual(100)
    expect(perUpdate.reduce((n, k) => n + k, 0)).toBe(rows)
    const byEmail = new Map(readLiveRows(member.doc).map((row) => [row.values['contacts.email'], row]))
    const imported = byEmail.get('c777@x.io')!
    expect(imported.values).toEqual({ 'contacts.first_name': 'F777', 'contacts.last_name': 'L777', 'contacts.email': 'c777@x.io' })
    // its last change is its creation (no mark kept per imported record)
    const read = (await api(url, `/contacts/${imported.id}`)).body as { created_at: string; updated_at: string }
    expect(read.updated_at).toBe(read.created_at)
    const history = (await api(url, `/contacts/${imported.id}/history`)).body.data as { kind: string; field: string | null; to: unknown; via: string }[]
    expect(history.map(({ kind, field, to }) => [kind, field, to]).sort()).toEqual([['created', null, null], ['set', 'email', 'c777@x.io'], ['set', 'first_name', 'F777'], ['set', 'last_name', 'L777']])
  })

  it('refuses viewers, other content types, bad queries, files without a header and bodies over the cap — writing nothing', async () => {
    const { url, storage } = await relay()
    const vera = createMember(storage, { name: 'Vera', role: 'viewer' })
    const csv = 'last_name\nLee\n'
    expect((await importFile(url, 'contacts', csv, CSV_TYPE, '', vera.token)).status).toBe(403)
    expect((await importFile(url, 'contacts', csv, 'application/json')).status).toBe(415)
    expect((await importFile(url, 'nope', csv, CSV_TYPE)).status).toBe(404)
    const badQuery = await importFile(url, 'contacts', csv, CSV_TYPE, '?dedupe=fax&on_duplicate=merge&mapping=%5B%5D')
    expect(badQuery.status).toBe(400)
    expect(badQuery.body.errors.map((e: { field: string }) => e.field)).toEqual(['mapping', 'dedupe', 'on_duplicate'])
    const badMapping = await importFile(url, 'contacts', csv, CSV_TYPE, `?mapping=${encodeURIComponent('{"last_name":"surname"}')}`)
    expect(badMapping.body.errors).toEqual([{ field: 'surname', message: expect.stringContaining('Contacts has no field "surname"') }])
    expect((await importFile(url, 'contacts', '\n\n', CSV_TYPE)).status).toBe(400)
    expect((await importFile(url, 'contacts', 'not a zip', XLSX_TYPE)).status).toBe(400)
    // a declared size over the cap is refused before the body is read, and the connection closed
    expect(await declaredTooLarge(url, MAX_IMPORT_BYTES + 1)).toBe(413)
    expect(await contacts(url)).toEqual([])
  })
})

/** The status of an upload that declares `bytes` and sends only its first line. */
function declaredTooLarge(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/contacts/import`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': CSV_TYPE, 'content-length': bytes } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
      req.destroy()
    })
    req.on('error', reject)
    req.write('last_name\n')
  })
}

/** Text in Windows-1251: ASCII as is, Cyrillic А–я at 0xC0–0xFF, Ё/ё at 0xA8/0xB8. */
function encode1251(text: string): number[] {
  return [...text].map((c) => {
    const code = c.charCodeAt(0)
    if (code < 0x80) return code
    if (c === 'Ё') return 0xa8
    if (c === 'ё') return 0xb8
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0
    throw new Error(`no 1251 byte for ${c} in this fixture`)
  })
}
