import { writeImportMapping } from '../../../src/crdt/importMappingDoc'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createRecord, deleteRecords, purgeRecords, recordsOf, restoreRecords, updateCells } from '../../../src/crdt/recordDoc'
import { addField, addSelectOption, renameField, renameSelectOption, seedDefaultSchema, setDefaultCountry, setOptionColor, setWorkspaceDetail } from '../../../src/crdt/schemaDoc'
import { createForm, removeForm, restoreForm, updateForm } from '../../../src/crdt/formDoc'
import { addMissingPipelines } from '../../../src/crdt/schemaDoc'
import { addPipeline, addStage, moveStage, removeStage, renamePipeline, restoreStage, updateStage } from '../../../src/crdt/pipelineDoc'
import { defaultSchema } from '../../../src/domain/defaultSchema'
import type { RelayLogger } from '../../relayLogger'
import { createMemoryStorage } from '../../storage/memoryStorage'
import { inspectUpdate } from '../inspectUpdate'
import { LayoutGuard, type Verdict } from './layoutGuard'
import { SchemaFieldTypes } from './schemaFieldTypes'

const quiet: RelayLogger = { info() {}, warn() {}, error() {} }

function schemaStorage() {
  const storage = createMemoryStorage()
  const doc = new Y.Doc()
  seedDefaultSchema(doc)
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(doc))
  return storage
}

/** A guard over what `doc` holds now, and a check of what `change` does to it. */
function guardOver(doc: Y.Doc, name = 'entity-contacts'): { guard: LayoutGuard; check(change: () => void): Verdict } {
  const types = new SchemaFieldTypes(schemaStorage(), quiet)
  const guard = new LayoutGuard(name === 'schema' ? { kind: 'schema' } : { kind: 'entity', entityId: name.slice(7) }, types)
  const stored = Y.encodeStateAsUpdate(doc)
  guard.build([stored], Y.decodeStateVector(Y.encodeStateVector(doc)))
  return {
    guard,
    check(change) {
      const before = Y.encodeStateVector(doc)
      change()
      const update = Y.encodeStateAsUpdate(doc, before)
      const verdict = guard.check(Y.decodeUpdate(update).structs)
      if (verdict.ok) guard.accept(verdict.analysis, inspectUpdate(update))
      return verdict
    },
  }
}

const violation = (verdict: Verdict) => ('violation' in verdict ? verdict.violation : null)
const contact = { 'contacts.first_name': 'Ada', 'contacts.email': 'ada@example.com' }

describe('LayoutGuard (entity documents)', () => {
  it('passes what recordDoc does: create, edit, overwrite, delete, restore, undo', () => {
    const doc = new Y.Doc()
    const { check } = guardOver(doc)
    const origin = {}
    const undo = new Y.UndoManager(recordsOf(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    let id = ''
    expect(check(() => { id = createRecord(doc, contact, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    for (let i = 0; i < 5; i++) expect(check(() => updateCells(doc, [{ recordId: id, fieldId: 'contacts.first_name', value: `A${i}` }], origin))).toMatchObject({ ok: true })
    expect(check(() => deleteRecords(doc, [id], origin))).toMatchObject({ ok: true })
    expect(check(() => undo.undo())).toMatchObject({ ok: true })
    expect(check(() => restoreRecords(doc, [id], origin))).toMatchObject({ ok: true })
    expect(check(() => undo.undo())).toMatchObject({ ok: true })
    expect(check(() => undo.redo())).toMatchObject({ ok: true })
  })

  it('passes a delete with who deleted it, its restore and a purge (the trash); refuses a deleter or purge time of another shape', () => {
    const doc = new Y.Doc()
    const { check } = guardOver(doc)
    const origin = {}
    const undo = new Y.UndoManager(recordsOf(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    let id = ''
    expect(check(() => { id = createRecord(doc, contact, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    expect(check(() => deleteRecords(doc, [id], origin, new Date(), 'm2'))).toMatchObject({ ok: true })
    expect(recordsOf(doc).get(id)!.get('$deletedBy')).toBe('m2')
    expect(check(() => undo.undo())).toMatchObject({ ok: true })
    expect(check(() => deleteRecords(doc, [id], origin, new Date(), 'm2'))).toMatchObject({ ok: true })
    expect(check(() => restoreRecords(doc, [id], origin))).toMatchObject({ ok: true })
    expect(check(() => deleteRecords(doc, [id], origin, new Date(), 'm1'))).toMatchObject({ ok: true })
    expect(check(() => purgeRecords(doc, [id], null))).toMatchObject({ ok: true })
    expect([...recordsOf(doc).get(id)!.keys()].sort()).toEqual(['$createdBy', '$purgedAt'])
    let other = ''
    expect(check(() => { other = createRecord(doc, contact, { createdBy: 'm1' }, null) })).toMatchObject({ ok: true })
    expect(violation(check(() => recordsOf(doc).get(other)!.set('$deletedBy', 7)))).toMatch(/member id string/)
    expect(violation(check(() => recordsOf(doc).get(other)!.set('$purgedAt', 'yesterday')))).toMatch(/ISO date-time/)
  })

  it('refuses a record that is not a map, by its key or (an overwrite) by what it replaces', () => {
    /** The verdict on `change` made to a document holding one contact. */
    const refusal = (change: (records: Y.Map<Y.Map<unknown>>, id: string, doc: Y.Doc) => void) => {
      const doc = new Y.Doc()
      const id = createRecord(doc, contact, { createdBy: 'm1' }, null)
      return violation(guardOver(doc).check(() => change(recordsOf(doc), id, doc)))
    }
    expect(refusal((records) => records.set('x', 'not a map' as never))).toBe('records["x"] is a string, expected a record map')
    expect(refusal((records, id) => records.set(id, 'overwrite' as never))).toBe('records[…] is a string, expected a record map')
    expect(refusal((records) => records.set('t', new Y.Text('x') as never))).toMatch(/records\["t"\] is a Y.Text/)
    expect(refusal((records) => records.set('a', Y.Array.from([1]) as never))).toMatch(/records\["a"\] is a Y.Array/)
    expect(refusal((records, id) => records.get(id)!.set('contacts.first_name', new Y.Map()))).toMatch(/entry is a Y.Map, expected a JSON value/)
    expect(refusal((records, id) => records.get(id)!.set('contacts.last_name', 5))).toMatch(/expected a value of a text field/)
    expect(refusal((records, id) => records.get(id)!.set('$deletedAt', 5))).toMatch(/ISO date-time/)
    expect(refusal((records, id) => records.get(id)!.set('$nope', 'x'))).toMatch(/neither a field id nor a known \$ key/)
    expect(refusal((records, id) => records.get(id)!.set('a b', 'x'))).toMatch(/neither a field id/)
    expect(refusal((_records, _id, doc) => doc.getMap('other').set('k', 1))).toMatch(/root type "other"/)
    expect(refusal((records, id) => {
      const nested = new Y.Map<unknown>()
      records.get(id)!.set('contacts.first_name', nested)
      nested.set('deep', 1)
    })).toMatch(/Y.Map/)
    // A custom field the schema has not got yet (added on another connection) passes.
    expect(refusal((records, id) => records.get(id)!.set('fAbcdefghij', 'x'))).toBeNull()
  })

  it('passes a deal\'s stage change entries and refuses one of another shape', () => {
    const doc = new Y.Doc()
    const { check } = guardOver(doc, 'entity-deals')
    const origin = {}
    let id = ''
    const change = { from: 'sales.new', to: 'sales.won', at: '2026-03-01T10:00:00.000Z', by: 'm1' }
    expect(check(() => { id = createRecord(doc, { 'deals.title': 'Big one', 'deals.stage': 'sales.new' }, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    expect(check(() => updateCells(doc, [{ recordId: id, fieldId: 'deals.stage', value: 'sales.won' }, { recordId: id, fieldId: 'stage@c1', value: change as never }], origin))).toMatchObject({ ok: true })
    expect(violation(check(() => updateCells(doc, [{ recordId: id, fieldId: 'stage@c2', value: { ...change, at: 'today' } as never }], origin)))).toMatch(/"stage@c2" is a object, expected a stage change/)
    expect(violation(check(() => updateCells(doc, [{ recordId: id, fieldId: 'stage@c3', value: 'sales.won' }], origin)))).toMatch(/expected a stage change/)
  })

  it('passes the notes of a merge and of records that are not duplicates, and refuses them in another shape', () => {
    const doc = new Y.Doc()
    const { check } = guardOver(doc, 'entity-contacts')
    const origin = {}
    let id = ''
    const note = { survivor: 'keep1', at: '2026-03-01T10:00:00.000Z', by: 'm1' }
    expect(check(() => { id = createRecord(doc, { 'contacts.last_name': 'Lee' }, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    expect(check(() => updateCells(doc, [{ recordId: id, fieldId: 'merged@dup1', value: note as never }, { recordId: id, fieldId: 'distinct@other1', value: { at: note.at, by: 'm1' } as never }], origin))).toMatchObject({ ok: true })
    expect(violation(check(() => updateCells(doc, [{ recordId: id, fieldId: 'merged@dup2', value: 'keep1' }], origin)))).toMatch(/expected a merge note/)
    expect(violation(check(() => updateCells(doc, [{ recordId: id, fieldId: 'distinct@x', value: true }], origin)))).toMatch(/not duplicates/)
  })

  it('passes a deal\'s issued documents; a number@ entry only from the relay, or sent back once the room has it', () => {
    const doc = new Y.Doc()
    const { guard, check } = guardOver(doc, 'entity-deals')
    const origin = {}
    let id = ''
    const issue = { kind: 'quote', at: '2026-03-01T10:00:00.000Z', by: 'm1', terms: 'Net 30', valid_until: '2026-03-31' }
    expect(check(() => { id = createRecord(doc, { 'deals.title': 'Big one' }, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    expect(check(() => updateCells(doc, [{ recordId: id, fieldId: 'document@i1', value: issue as never }], origin))).toMatchObject({ ok: true })
    const numbered = (value: unknown, key = 'number@i1') => {
      const before = Y.encodeStateVector(doc)
      updateCells(doc, [{ recordId: id, fieldId: key, value: value as never }], origin)
      return Y.encodeStateAsUpdate(doc, before)
    }
    const relayWrite = numbered({ number: 'Q-2026-0001', at: '2026-03-01T10:00:02.000Z' })
    expect(violation(guard.check(Y.decodeUpdate(relayWrite).structs))).toMatch(/"number@i1" is a number only the relay assigns/)
    const verdict = guard.check(Y.decodeUpdate(relayWrite).structs, 'relay')
    expect(verdict).toMatchObject({ ok: true })
    if (verdict.ok) guard.accept(verdict.analysis, inspectUpdate(relayWrite))

    // A client's sync step 2 that raced the relay's write carries it back with the client's own edit.
    const before = Y.encodeStateVector(doc)
    updateCells(doc, [{ recordId: id, fieldId: 'deals.title', value: 'Bigger one' }], origin)
    const stepTwo = Y.mergeUpdates([relayWrite, Y.encodeStateAsUpdate(doc, before)])
    const back = guard.check(Y.decodeUpdate(stepTwo).structs)
    expect(back).toMatchObject({ ok: true })
    if (back.ok) guard.accept(back.analysis, inspectUpdate(stepTwo))

    expect(violation(guard.check(Y.decodeUpdate(numbered({ number: 'X-1', at: '2026-03-01T10:00:02.000Z' }, 'number@i9')).structs, 'relay'))).toMatch(/expected a document number/)
    expect(violation(check(() => updateCells(doc, [{ recordId: id, fieldId: 'document@i2', value: { ...issue, kind: 'receipt' } as never }], origin))))
      .toMatch(/"document@i2" is a object, expected an issued document/)
  })

  it('passes the edit stamps writers set beside the keys they write, of fields, $deletedAt and @-entries alike; refuses a stamp that is no time', () => {
    const doc = new Y.Doc()
    const { check } = guardOver(doc, 'entity-deals')
    const origin = {}
    let id = ''
    const issue = { kind: 'quote', at: '2026-03-01T10:00:00.000Z', by: 'm1', terms: 'Net 30', valid_until: '2026-03-31' }
    expect(check(() => { id = createRecord(doc, { 'deals.title': 'Big one' }, { createdBy: 'm1' }, origin) })).toMatchObject({ ok: true })
    // what the writers set: a field's and $deletedAt's stamps (an issued document carries its own `at`)
    expect(check(() => updateCells(doc, [{ recordId: id, fieldId: 'deals.title', value: 'Bigger' }, { recordId: id, fieldId: 'document@i1', value: issue as never }], origin))).toMatchObject({ ok: true })
    expect([...recordsOf(doc).get(id)!.keys()].filter((k) => k.startsWith('$edited@'))).toEqual(['$edited@deals.title'])
    expect(check(() => deleteRecords(doc, [id], origin))).toMatchObject({ ok: true })
    expect(recordsOf(doc).get(id)!.get('$edited@$deletedAt')).toEqual(expect.any(String))
    // a stamp of any key a record holds is only a time, also one an older build set beside an @-entry
    for (const key of ['$edited@document@i1', '$edited@stage@c1', '$edited@number@i1', '$edited@fAbcdefghij']) {
      expect(check(() => recordsOf(doc).get(id)!.set(key, '2026-03-01T10:00:00.000Z'))).toMatchObject({ ok: true })
    }
    // (a new key: an overwrite names only the item it replaces, and any JSON value may replace one)
    expect(violation(check(() => recordsOf(doc).get(id)!.set('$edited@deals.amount', 'today')))).toMatch(/"\$edited@deals.amount" is a string, expected an ISO date-time/)
    expect(violation(check(() => recordsOf(doc).get(id)!.set('$edited@$createdBy', '2026-03-01T10:00:00.000Z')))).toMatch(/neither a field id nor a known \$ key/)
  })

  it('a conflict mark only from the relay: a member may remove it (dismiss) but not set one', () => {
    const doc = new Y.Doc()
    const { guard, check } = guardOver(doc)
    let id = ''
    expect(check(() => { id = createRecord(doc, contact, { createdBy: 'm1' }, null) })).toMatchObject({ ok: true })
    const mark = { value: 'old@example.com', by: 'm2', at: '2026-03-01T10:00:00.000Z' }
    const before = Y.encodeStateVector(doc)
    recordsOf(doc).get(id)!.set('conflict@contacts.email', mark)
    const marked = Y.encodeStateAsUpdate(doc, before)
    expect(violation(guard.check(Y.decodeUpdate(marked).structs))).toMatch(/"conflict@contacts.email" is a conflict mark only the relay sets/)
    const relay = guard.check(Y.decodeUpdate(marked).structs, 'relay')
    expect(relay).toMatchObject({ ok: true })
    if (relay.ok) guard.accept(relay.analysis, inspectUpdate(marked))
    expect(violation(guard.check(Y.decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc())).structs))).toBeNull()
    // dismissing deletes the relay's item: no new item, nothing to refuse
    expect(check(() => recordsOf(doc).get(id)!.delete('conflict@contacts.email'))).toMatchObject({ ok: true })
    expect(violation(guard.check(Y.decodeUpdate(marked).structs, 'relay'))).toBeNull()
  })

  it('holds an update that hangs off items the room has not got', () => {
    const source = new Y.Doc()
    const id = createRecord(source, contact, { createdBy: 'm1' }, null)
    const { guard } = guardOver(new Y.Doc())
    const before = Y.encodeStateVector(source)
    recordsOf(source).get(id)!.set('contacts.first_name', 'Bea')
    const verdict = guard.check(Y.decodeUpdate(Y.encodeStateAsUpdate(source, before)).structs)
    expect(verdict).toMatchObject({ ok: false, missing: [source.clientID, expect.any(Number)] })
  })
})

describe('LayoutGuard (schema)', () => {
  it('passes schema operations and refuses what breaks the layout', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    let fieldId = ''
    expect(check(() => { fieldId = addField(doc, 'contacts', { label: 'Shoe size', type: 'number' }, null).id })).toMatchObject({ ok: true })
    expect(check(() => renameField(doc, 'contacts', fieldId, 'Size', null))).toMatchObject({ ok: true })
    const refusal = (change: (entities: Y.Map<Y.Map<unknown>>, doc: Y.Doc) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('entities'), fresh)))
    }
    expect(refusal((entities) => entities.set('x', 'no' as never))).toMatch(/entities\["x"\] is a string/)
    expect(refusal((entities) => entities.get('contacts')!.set('fields', 'no'))).toMatch(/fields map/)
    expect(refusal((entities) => (entities.get('contacts')!.get('fields') as Y.Map<unknown>).set('f1', 3))).toMatch(/fields\["f1"\] is a number/)
    expect(refusal((entities) => ((entities.get('contacts')!.get('fields') as Y.Map<Y.Map<unknown>>).get('contacts.email')!).set('label', 3))).toMatch(/label/)
    expect(refusal((_entities, fresh) => fresh.getArray('x').push([1]))).toMatch(/root type "x"/)
    expect(defaultSchema().entities.length).toBeGreaterThan(0)
  })

  it('passes the workspace settings as schemaDoc writes them, and refuses other values or settings', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    expect(check(() => setDefaultCountry(doc, 'US', 'locale', null))).toMatchObject({ ok: true })
    expect(check(() => setDefaultCountry(doc, 'DE', 'admin', null))).toMatchObject({ ok: true })
    expect(check(() => setDefaultCountry(doc, null, 'admin', null))).toMatchObject({ ok: true })
    const refusal = (change: (workspace: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('workspace'))))
    }
    expect(refusal((workspace) => workspace.set('defaultCountry', 'Germany'))).toMatch(/workspace\["defaultCountry"\]/)
    expect(refusal((workspace) => workspace.set('defaultCountrySource', 'guess'))).toMatch(/defaultCountrySource/)
    expect(refusal((workspace) => workspace.set('theme', 'dark'))).toMatch(/not a known property/)
  })

  it('passes remembered import mappings as importMappingDoc writes them, and refuses other shapes (issue 18)', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    expect(check(() => writeImportMapping(doc, 'contacts', ['E-Mail', 'Notiz'], ['email', null], null))).toMatchObject({ ok: true })
    const refusal = (change: (workspace: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('workspace'))))
    }
    expect(refusal((workspace) => workspace.set('import-header:email#contacts', [3]))).toMatch(/workspace\["import-header:email#contacts"\] is a list, expected a value of that property/)
    expect(refusal((workspace) => workspace.set('import-header:email#contacts', 'email'))).toMatch(/import-header/)
    expect(refusal((workspace) => workspace.set('import-mapping', ['email']))).toMatch(/not a known property/)
  })

  it('passes the details quotes and invoices print as schemaDoc writes them, and refuses other shapes (issue 14)', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    expect(check(() => {
      setWorkspaceDetail(doc, 'companyName', 'Acme GmbH', null)
      setWorkspaceDetail(doc, 'companyAddress', 'Hauptstr. 1\n10115 Berlin', null)
      setWorkspaceDetail(doc, 'taxId', 'DE123456789', null)
      setWorkspaceDetail(doc, 'bankDetails', 'IBAN DE02 1203 0000 0000 2020 51', null)
      setWorkspaceDetail(doc, 'logo', 'data:image/svg+xml;base64,PHN2Zy8+', null)
      setWorkspaceDetail(doc, 'quoteTerms', 'Prices in EUR.', null)
      setWorkspaceDetail(doc, 'invoiceTerms', 'Net 14 days.', null)
      setWorkspaceDetail(doc, 'quoteValidDays', 30, null)
      setWorkspaceDetail(doc, 'invoiceDueDays', 0, null)
      setWorkspaceDetail(doc, 'paperSize', 'Letter', null)
    })).toMatchObject({ ok: true })
    expect(check(() => setWorkspaceDetail(doc, 'logo', null, null))).toMatchObject({ ok: true })
    const refusal = (change: (workspace: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('workspace'))))
    }
    expect(refusal((workspace) => workspace.set('logo', 'https://evil.example/track.png'))).toMatch(/workspace\["logo"\] is a string, expected a value of that property/)
    expect(refusal((workspace) => workspace.set('logo', `data:image/png;base64,${'A'.repeat(96 * 1024)}`))).toMatch(/workspace\["logo"\]/)
    expect(refusal((workspace) => workspace.set('paperSize', 'A5'))).toMatch(/workspace\["paperSize"\]/)
    expect(refusal((workspace) => workspace.set('quoteValidDays', 0))).toMatch(/workspace\["quoteValidDays"\]/)
    expect(refusal((workspace) => workspace.set('invoiceDueDays', '14'))).toMatch(/workspace\["invoiceDueDays"\]/)
    expect(refusal((workspace) => workspace.set('quoteTerms', 'x'.repeat(4001)))).toMatch(/workspace\["quoteTerms"\]/)
    expect(refusal((workspace) => workspace.set('companyName', new Y.Map()))).toMatch(/workspace\["companyName"\] is a Y.Map/)
  })

  it('passes what reports read — time zone, report currency, rates — and refuses other shapes (issue 17)', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    expect(check(() => {
      setWorkspaceDetail(doc, 'timeZone', 'Europe/Berlin', null)
      setWorkspaceDetail(doc, 'reportCurrency', 'EUR', null)
      setWorkspaceDetail(doc, 'currencyRates', { USD: 0.92, GBP: 1.17 }, null)
    })).toMatchObject({ ok: true })
    const refusal = (change: (workspace: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('workspace'))))
    }
    expect(refusal((workspace) => workspace.set('timeZone', 'Mars/Olympus'))).toMatch(/workspace\["timeZone"\]/)
    expect(refusal((workspace) => workspace.set('currencyRates', { USD: -1 }))).toMatch(/workspace\["currencyRates"\]/)
    expect(refusal((workspace) => workspace.set('currencyRates', { NOPE: 1 }))).toMatch(/workspace\["currencyRates"\]/)
  })

  it('passes a number field with a range (min, max)', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    const probability = (doc.getMap('entities').get('deals') as Y.Map<Y.Map<Y.Map<unknown>>>).get('fields')!.get('deals.probability')!
    expect(check(() => { probability.set('min', 0); probability.set('max', 100) })).toMatchObject({ ok: true })
  })

  it('passes option colours and renames as schemaDoc writes them, and refuses colours outside the palette', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    // a field seeded before option colours existed gets its colours map on first use
    expect(check(() => (doc.getMap('entities').get('deals') as Y.Map<Y.Map<Y.Map<unknown>>>).get('fields')!.get('deals.stage')!.delete('optionColors'))).toMatchObject({ ok: true })
    expect(check(() => addSelectOption(doc, 'deals', 'deals.stage', 'On hold', null))).toMatchObject({ ok: true })
    expect(check(() => setOptionColor(doc, 'deals', 'deals.stage', 'On hold', 'teal', null))).toMatchObject({ ok: true })
    expect(check(() => renameSelectOption(doc, 'deals', 'deals.stage', 'On hold', 'Paused', null))).toMatchObject({ ok: true })
    let fieldId = ''
    expect(check(() => { fieldId = addField(doc, 'contacts', { label: 'Tier', type: 'select', options: ['Gold'] }, null).id })).toMatchObject({ ok: true })
    expect(check(() => setOptionColor(doc, 'contacts', fieldId, 'Gold', 'yellow', null))).toMatchObject({ ok: true })
    const colors = () => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      const field = (fresh.getMap('entities').get('deals') as Y.Map<Y.Map<Y.Map<unknown>>>).get('fields')!.get('deals.stage')!
      return { fresh, field, colors: field.get('optionColors') as Y.Map<unknown> }
    }
    const refusal = (change: (c: ReturnType<typeof colors>) => void) => {
      const c = colors()
      return violation(guardOver(c.fresh, 'schema').check(() => change(c)))
    }
    expect(refusal(({ colors }) => colors.set('Won', 'red; background: url(x)'))).toMatch(/optionColors\["Won"\] .*palette colour/)
    expect(refusal(({ colors }) => colors.set('Won', new Y.Map()))).toMatch(/palette colour/)
    expect(refusal(({ field }) => field.set('optionColors', { Won: 'red' }))).toMatch(/option colours map/)
  })

  it('passes web forms as formDoc writes them, and refuses other shapes and properties', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const { check } = guardOver(doc, 'schema')
    let id = ''
    expect(check(() => { id = createForm(doc, { name: 'Contact us', fields: [{ key: 'email', label: 'Your email', required: true }] }, null).id })).toMatchObject({ ok: true })
    expect(check(() => updateForm(doc, id, { thankYouText: 'Thanks!', redirectUrl: 'https://example.com/thanks', dedupe: false }, null))).toMatchObject({ ok: true })
    expect(check(() => removeForm(doc, id, null))).toMatchObject({ ok: true })
    expect(check(() => restoreForm(doc, id, null))).toMatchObject({ ok: true })
    const refusal = (change: (forms: Y.Map<unknown>, form: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      const formId = createForm(fresh, { name: 'F', fields: [{ key: 'name', label: '', required: false }] }, null).id
      return violation(guardOver(fresh, 'schema').check(() => change(fresh.getMap('forms'), fresh.getMap('forms').get(formId) as Y.Map<unknown>)))
    }
    expect(refusal((forms) => forms.set('x', 'not a map'))).toMatch(/forms\["x"\] is a string, expected a form map/)
    expect(refusal((forms) => forms.set('a b', new Y.Map()))).toMatch(/not a form id/)
    expect(refusal((_forms, form) => form.set('redirectUrl', 'javascript:alert(1)'))).toMatch(/form's entry "redirectUrl"/)
    expect(refusal((_forms, form) => form.set('fields', [{ key: 'email', label: 'E', required: 'yes' }]))).toMatch(/"fields"/)
    expect(refusal((_forms, form) => form.set('dedupe', 'on'))).toMatch(/"dedupe"/)
    expect(refusal((_forms, form) => form.set('script', 'x'))).toMatch(/not a known property/)
    expect(refusal((_forms, form) => form.set('name', new Y.Map()))).toMatch(/"name"/)
  })

  it('passes pipelines as pipelineDoc writes them (and the migration), and refuses other shapes and properties', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    doc.getMap('pipelines').clear()
    const { check } = guardOver(doc, 'schema')
    expect(check(() => addMissingPipelines(doc, 'migration'))).toMatchObject({ ok: true })
    let pipelineId = ''
    let stageId = ''
    expect(check(() => { pipelineId = addPipeline(doc, 'Partners', null).id })).toMatchObject({ ok: true })
    expect(check(() => renamePipeline(doc, pipelineId, 'Resellers', null))).toMatchObject({ ok: true })
    expect(check(() => { stageId = addStage(doc, 'sales', 'Demo', null).id })).toMatchObject({ ok: true })
    expect(check(() => updateStage(doc, 'sales', stageId, { name: 'Demo booked', probability: 35, kind: 'open' }, null))).toMatchObject({ ok: true })
    expect(check(() => moveStage(doc, 'sales', stageId, -2, null))).toMatchObject({ ok: true })
    expect(check(() => removeStage(doc, 'sales', stageId, null))).toMatchObject({ ok: true })
    expect(check(() => restoreStage(doc, 'sales', stageId, null))).toMatchObject({ ok: true })
    const refusal = (change: (pipelines: Y.Map<unknown>, stage: Y.Map<unknown>) => void) => {
      const fresh = new Y.Doc()
      seedDefaultSchema(fresh)
      const pipelines = fresh.getMap('pipelines')
      const stage = ((pipelines.get('sales') as Y.Map<unknown>).get('stages') as Y.Map<Y.Map<unknown>>).get('sales.new')!
      return violation(guardOver(fresh, 'schema').check(() => change(pipelines, stage)))
    }
    expect(refusal((pipelines) => pipelines.set('x', 'not a map'))).toMatch(/pipelines\["x"\] is a string, expected a pipeline map/)
    expect(refusal((pipelines) => (pipelines.get('sales') as Y.Map<unknown>).set('stages', ['New']))).toMatch(/stages map/)
    expect(refusal((_p, stage) => stage.set('kind', 'maybe'))).toMatch(/stage's entry "kind"/)
    expect(refusal((_p, stage) => stage.set('probability', 150))).toMatch(/"probability"/)
    expect(refusal((_p, stage) => stage.set('colour', 'red'))).toMatch(/not a known property/)
  })
})