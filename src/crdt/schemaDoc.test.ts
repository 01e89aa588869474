import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { observeSchema, readSchema, seedDefaultSchema, setDefaultCountry } from './schemaDoc'

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
})
