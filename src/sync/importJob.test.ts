import { describe, expect, it } from 'vitest'
import { makeCompactEntityStore, type CompactEntityDoc } from '../crdt/compactEntityStore'
import { CompactRecordStore, type LocalChange } from '../crdt/compactRecordStore'
import type { EntityStore } from '../crdt/entityStore'
import { readCsvBytes } from '../domain/import/csvByteReader'
import { xlsxFixture } from '../domain/import/xlsxFixture.testkit'
import { ruleTestSchema, testRule } from '../domain/rules/rules.testkit'
import { ImportJob, type ImportEvent, type ImportHost, type ImportPlanRequest } from './importJob'
import { RuleWriter, type RuleEffects } from './ruleWriter'

/** An entity document in memory, as the worker's CompactSyncedDoc holds one (its commits kept). */
class MemoryDoc implements CompactEntityDoc {
  readonly store = new CompactRecordStore()
  readonly committed: Uint8Array[] = []
  commit(change: LocalChange): void { this.committed.push(change.update) }
  onRemotePatch(): () => void { return () => undefined }
}

const schema = ruleTestSchema()
const entityOf = (key: string) => schema.entities.find((e) => e.key === key)!
const keyed = (entityKey: string, values: Record<string, unknown>) => {
  const byId = new Map(entityOf(entityKey).fields.map((f) => [f.id, f.key]))
  return Object.fromEntries(Object.entries(values).map(([id, v]) => [byId.get(id) ?? id, v]))
}

/** The worker's side of an import over in-memory documents: the real RuleWriter, stores and undo. */
function workspace() {
  const docs = new Map<string, MemoryDoc>()
  const stores = new Map<string, EntityStore>()
  for (const e of schema.entities) {
    const doc = new MemoryDoc()
    docs.set(e.id, doc)
    stores.set(e.id, makeCompactEntityStore(doc, e.id, 'ann'))
  }
  const effects: RuleEffects[] = []
  const writer = new RuleWriter({ memberId: 'ann', store: (id) => stores.get(id), effects: (e) => effects.push(e) })
  const callNewLeads = testRule({
    trigger: { kind: 'created', entity: entityOf('leads').id },
    actions: [{ kind: 'createActivity', activityType: 'call', subject: 'Call the customer', assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'hours' } }],
  })
  writer.setRules({ rules: [callNewLeads], schema, firedCounts: {} })
  const events: ImportEvent[] = []
  const host: ImportHost = {
    writable: (id) => Promise.resolve(stores.get(id)!),
    readable: (id) => Promise.resolve(stores.get(id)!),
    write: (id, intent, group) => writer.apply(id, intent, null, group),
    stored: () => Promise.resolve(),
    hold: () => () => undefined,
    turn: () => new Promise((resolve) => setTimeout(resolve, 0)),
    post: (event) => events.push(event),
  }
  return { stores, docs, writer, effects, events, host, store: (key: string) => stores.get(entityOf(key).id)! }
}

const leadsCsv = [
  'Title;E-Mail;Owner;Notes',
  'Office fit-out;anna@example.com;ann;x',
  'Bad one;anna(at)example;ann;x',
  '"Multi-line',
  'title";ben@example.com;;"a; b"',
  'Again Anna;ANNA@example.com;;',
  'Existing;old@example.com;;',
  '',
].join('\r\n')

function request(columns: (string | null)[], o: Partial<ImportPlanRequest> = {}): ImportPlanRequest {
  return {
    entity: entityOf('leads'), linkTargets: schema.entities, columns,
    parse: { locale: 'en-US', timeZone: 'UTC', defaultCountry: 'US', members: [{ id: 'ann', name: 'Ann Lee' }] },
    dedupe: 'email', onDuplicate: 'skip', ...o,
  }
}

const leadField = (key: string) => entityOf('leads').fields.find((f) => f.key === key)!.id

describe('ImportJob: an import in the workspace worker (issue 18)', () => {
  it('reads the header, plans every row with refusals and duplicates, writes one undo step whose rules fired per created record', async () => {
    const w = workspace()
    w.writer.apply(entityOf('leads').id, { op: 'create', id: 'old', values: { [leadField('title')]: 'Existing', [leadField('email')]: 'old@example.com' } })
    const job = new ImportJob(new Blob([leadsCsv]), 'csv', w.host)
    await job.readHeader()
    expect(w.events.find((e) => e.kind === 'header')).toMatchObject({ kind: 'header', header: ['Title', 'E-Mail', 'Owner', 'Notes'], delimiter: ';', encoding: 'utf-8' })
    await job.plan(request([leadField('title'), leadField('email'), leadField('owner'), null]))
    const planned = w.events.find((e) => e.kind === 'planned')
    if (planned?.kind !== 'planned') throw new Error('not planned')
    // Again Anna duplicates a row of the file, Existing a stored lead
    expect(planned.counts).toEqual({ rows: 5, create: 2, update: 0, skip: 2, refuse: 1 })
    expect(planned.refused).toEqual([{ row: 3, cells: ['Bad one', 'anna(at)example', 'ann', 'x'], errors: [{ field: 'email', message: expect.stringMatching(/email/i) }] }])
    expect(planned.preview.map((p) => keyed('leads', p.values))).toEqual([
      { title: 'Office fit-out', email: 'anna@example.com', owner: 'ann' },
      { title: 'Multi-line\r\ntitle', email: 'ben@example.com' },
    ])
    const refusedCsv = readCsvBytes(new Uint8Array(await planned.refusedCsv!.arrayBuffer()))
    expect(refusedCsv.map((r) => r.cells)).toEqual([['Title', 'E-Mail', 'Owner', 'Notes', 'Errors'], ['Bad one', 'anna(at)example', 'ann', 'x', expect.stringMatching(/^Email: "anna\(at\)example" is not an email address/)]])

    await job.run()
    expect(w.events.at(-1)).toEqual({ kind: 'finished', result: { created: 2, updated: 0, skipped: 2, refused: 1, cancelled: false } })
    expect(w.store('leads').count()).toBe(3)
    // the rule made a call for each created lead, in the same write
    expect(w.store('activities').rows().map((r) => r.values[entityOf('activities').fields.find((f) => f.key === 'related_lead')!.id]).sort())
      .toEqual(w.store('leads').rows().map((r) => r.id).sort())
    expect(w.effects.flatMap((e) => e.firings)).toHaveLength(3)
    expect(w.events.filter((e) => e.kind === 'progress' && e.phase === 'writing').length).toBeGreaterThanOrEqual(2)

    w.writer.apply(entityOf('leads').id, { op: 'undo' })
    expect(w.store('leads').rows().map((r) => r.id)).toEqual(['old'])
    expect(w.store('activities').count()).toBe(1)
    w.writer.apply(entityOf('leads').id, { op: 'redo' })
    expect(w.store('leads').count()).toBe(3)
    expect(w.store('activities').count()).toBe(3)
  })

  it('a big file is written in many batches, still one undo; update on a duplicate writes over the stored record', async () => {
    const w = workspace()
    w.writer.apply(entityOf('leads').id, { op: 'create', id: 'old', values: { [leadField('title')]: 'Old title', [leadField('email')]: 'lead7@example.com' } })
    const lines = ['title,email']
    for (let i = 0; i < 3000; i++) lines.push(`Lead ${i},lead${i}@example.com`)
    const job = new ImportJob(new Blob([lines.join('\n')]), 'csv', w.host)
    await job.readHeader()
    await job.plan(request([leadField('title'), leadField('email')], { onDuplicate: 'update' }))
    await job.run()
    expect(w.events.at(-1)).toEqual({ kind: 'finished', result: { created: 2999, updated: 1, skipped: 0, refused: 0, cancelled: false } })
    expect(w.store('leads').row('old')?.values[leadField('title')]).toBe('Lead 7')
    // several updates went to the relay, none holding the whole file
    expect(w.docs.get(entityOf('leads').id)!.committed.length).toBeGreaterThan(2)
    w.writer.apply(entityOf('leads').id, { op: 'undo' })
    expect(w.store('leads').count()).toBe(1)
    expect(w.store('leads').row('old')?.values[leadField('title')]).toBe('Old title')
    // the call made for the lead created before the import stays
    expect(w.store('activities').count()).toBe(1)
  }, 30_000)

  it('cancel stops the writing; what was written stays as one undo step', async () => {
    const w = workspace()
    const lines = ['title']
    for (let i = 0; i < 6000; i++) lines.push(`Lead ${i}`)
    const job = new ImportJob(new Blob([lines.join('\n')]), 'csv', w.host)
    await job.readHeader()
    await job.plan(request([leadField('title')], { dedupe: undefined }))
    const running = job.run()
    await new Promise((resolve) => setTimeout(resolve, 0))
    job.cancel()
    await running
    const finished = w.events.at(-1)
    if (finished?.kind !== 'finished') throw new Error('not finished')
    expect(finished.result.cancelled).toBe(true)
    expect(finished.result.created).toBeGreaterThan(0)
    expect(finished.result.created).toBeLessThan(6000)
    expect(w.store('leads').count()).toBe(finished.result.created)
    w.writer.apply(entityOf('leads').id, { op: 'undo' })
    expect(w.store('leads').count()).toBe(0)
  })

  it('an XLSX file: the first sheet\'s rows, dates kept as dates; a file that is no workbook fails with the reader\'s reason', async () => {
    const w = workspace()
    const deals = entityOf('deals')
    const id = (key: string) => deals.fields.find((f) => f.key === key)!.id
    const bytes = xlsxFixture({ 1: [{ s: 'Title' }, { s: 'Amount' }, { s: 'Close date' }], 2: [{ s: 'Big deal' }, { n: 1234.5 }, { n: 46353, style: 1 }] })
    const job = new ImportJob(new Blob([bytes as BlobPart]), 'xlsx', w.host)
    await job.readHeader()
    expect(w.events.find((e) => e.kind === 'header')).toMatchObject({ header: ['Title', 'Amount', 'Close date'], samples: [['Big deal', '1234.5', '2026-11-27']] })
    await job.plan({ ...request([id('title'), id('amount'), id('close_date')], { dedupe: undefined }), entity: deals })
    await job.run()
    expect(w.stores.get(deals.id)!.rows().map((r) => keyed('deals', r.values))).toEqual([expect.objectContaining({ title: 'Big deal', close_date: '2026-11-27' })])
    const broken = new ImportJob(new Blob(['not a zip']), 'xlsx', w.host)
    await expect(broken.readHeader()).rejects.toThrow(/not an XLSX workbook/)
  })

  it('German money and dates read as in the grid for a de-DE member', async () => {
    const w = workspace()
    const deals = entityOf('deals')
    const id = (key: string) => deals.fields.find((f) => f.key === key)!.id
    const job = new ImportJob(new Blob(['Titel;Betrag;Abschluss\nBig deal;1 234,50 €;27.11.2026\n']), 'csv', w.host)
    await job.readHeader()
    await job.plan({ ...request([id('title'), id('amount'), id('close_date')], { dedupe: undefined }), entity: deals, parse: { locale: 'de-DE', timeZone: 'Europe/Berlin', defaultCountry: 'DE', members: [] } })
    await job.run()
    expect(w.stores.get(deals.id)!.rows().map((r) => keyed('deals', r.values))).toEqual([expect.objectContaining({ title: 'Big deal', amount: { amount: 123450, currency: 'EUR' }, close_date: '2026-11-27' })])
  })
})
