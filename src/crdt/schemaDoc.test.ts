import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { observeSchema, readSchema, seedDefaultSchema, setDefaultCountry, setWorkspaceDetail } from './schemaDoc'

function syncBoth(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('workspace settings in the schema document', () => {
  test('the default country is stored with who chose it, and cleared', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    expect(readSchema(doc).workspace).toEqual({})
    setDefaultCountry(doc, 'US', 'locale', null)
    expect(readSchema(doc).workspace).toEqual({ defaultCountry: 'US', defaultCountrySource: 'locale' })
    setDefaultCountry(doc, 'DE', 'admin', null)
    expect(readSchema(doc).workspace).toEqual({ defaultCountry: 'DE', defaultCountrySource: 'admin' })
    setDefaultCountry(doc, null, 'admin', null)
    expect(readSchema(doc).workspace).toEqual({})
  })

  test('only two-letter country codes are accepted, and other values a client wrote read as unset', () => {
    const doc = new Y.Doc()
    expect(() => setDefaultCountry(doc, 'Germany', 'admin', null)).toThrow('"Germany" is not a two-letter country code')
    expect(() => setDefaultCountry(doc, 'de', 'admin', null)).toThrow(/two-letter/)
    doc.getMap('workspace').set('defaultCountry', 42)
    doc.getMap('workspace').set('defaultCountrySource', 'admin')
    expect(readSchema(doc).workspace).toEqual({})
  })

  test('two admins setting the country offline converge on one value', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    seedDefaultSchema(a)
    syncBoth(a, b)
    setDefaultCountry(a, 'DE', 'admin', null)
    setDefaultCountry(b, 'AT', 'admin', null)
    syncBoth(a, b)
    expect(readSchema(a).workspace).toEqual(readSchema(b).workspace)
    expect(['DE', 'AT']).toContain(readSchema(a).workspace?.defaultCountry)
  })

  test('observers of the schema hear settings changes', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const seen: (string | undefined)[] = []
    const stop = observeSchema(doc, (s) => seen.push(s.workspace?.defaultCountry))
    setDefaultCountry(doc, 'JP', 'admin', null)
    stop()
    setDefaultCountry(doc, 'FR', 'admin', null)
    expect(seen).toEqual(['JP'])
  })

  test('the details quotes and invoices print are set and cleared one by one; two admins editing different ones both win', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    seedDefaultSchema(a)
    syncBoth(a, b)
    setWorkspaceDetail(a, 'companyName', 'Acme GmbH', null)
    setWorkspaceDetail(a, 'logo', 'data:image/png;base64,iVBORw0KGgo=', null)
    setWorkspaceDetail(b, 'companyAddress', 'Hauptstr. 1\n10115 Berlin', null)
    setWorkspaceDetail(b, 'quoteValidDays', 45, null)
    setWorkspaceDetail(b, 'paperSize', 'Letter', null)
    syncBoth(a, b)
    const expected = { companyName: 'Acme GmbH', logo: 'data:image/png;base64,iVBORw0KGgo=', companyAddress: 'Hauptstr. 1\n10115 Berlin', quoteValidDays: 45, paperSize: 'Letter' }
    expect(readSchema(a).workspace).toEqual(expected)
    expect(readSchema(b).workspace).toEqual(expected)
    setWorkspaceDetail(a, 'logo', null, null)
    expect(readSchema(a).workspace?.logo).toBeUndefined()
  })

  test('a detail its rule refuses is not written, and one a client wrote anyway reads as unset', () => {
    const doc = new Y.Doc()
    expect(() => setWorkspaceDetail(doc, 'quoteValidDays', 0, null)).toThrow('Quote validity (days) is not a whole number of days from 1 to 365')
    expect(() => setWorkspaceDetail(doc, 'logo', 'data:image/gif;base64,R0lGOD==', null)).toThrow(/Logo is not a PNG, JPEG, WebP or SVG/)
    expect(() => setWorkspaceDetail(doc, 'paperSize', 'A5' as never, null)).toThrow(/Paper size is neither A4 nor Letter/)
    expect(doc.getMap('workspace').size).toBe(0)
    doc.getMap('workspace').set('invoiceDueDays', 2.5)
    doc.getMap('workspace').set('taxId', 7)
    doc.getMap('workspace').set('invoiceTerms', 'Net 14')
    expect(readSchema(doc).workspace).toEqual({ invoiceTerms: 'Net 14' })
  })
})
