import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { OptionEditError } from '../domain/editOptions'
import { addField, addSelectOption, moveSelectOption, readSchema, renameSelectOption, seedDefaultSchema, setOptionColor } from './schemaDoc'

const fieldOf = (doc: Y.Doc, id: string) => readSchema(doc).entities.flatMap((e) => e.fields).find((f) => f.id === id)!

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('select options in the schema document', () => {
  it('adds, renames (the colour follows), moves and colours options', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    addSelectOption(doc, 'deals', 'deals.source', 'On hold', null)
    expect(fieldOf(doc, 'deals.source').options?.at(-1)).toBe('On hold')
    setOptionColor(doc, 'deals', 'deals.source', 'On hold', 'orange', null)
    expect(renameSelectOption(doc, 'deals', 'deals.source', 'On hold', '  Paused ', null)).toBe('Paused')
    const renamed = fieldOf(doc, 'deals.source')
    expect(renamed.options?.at(-1)).toBe('Paused')
    expect(renamed.optionColors).toEqual({ Paused: 'orange' })
    moveSelectOption(doc, 'deals', 'deals.source', 'Paused', -1, null)
    expect(fieldOf(doc, 'deals.source').options?.at(-2)).toBe('Paused')
  })

  it('refuses twins, unknown options, colours outside the palette and fields without options', () => {
    const doc = new Y.Doc()
    seedDefaultSchema(doc)
    const stage = fieldOf(doc, 'deals.source')
    expect(() => addSelectOption(doc, 'deals', 'deals.source', stage.options![0]!.toUpperCase(), null)).toThrow(OptionEditError)
    expect(() => setOptionColor(doc, 'deals', 'deals.source', 'Nope', 'red', null)).toThrow(/no option/)
    expect(() => setOptionColor(doc, 'deals', 'deals.source', stage.options![0]!, 'url(x)' as never, null)).toThrow(/not one of the option colours/)
    expect(() => addSelectOption(doc, 'deals', 'deals.title', 'x', null)).toThrow(/has no options/)
  })

  it('merges two admins colouring two options of a new field at once', () => {
    const a = new Y.Doc()
    seedDefaultSchema(a)
    const field = addField(a, 'contacts', { label: 'Tier', type: 'select', options: ['Gold', 'Silver'] }, null)
    const b = new Y.Doc()
    sync(a, b)
    setOptionColor(a, 'contacts', field.id, 'Gold', 'yellow', null)
    setOptionColor(b, 'contacts', field.id, 'Silver', 'gray', null)
    sync(a, b)
    expect(fieldOf(a, field.id).optionColors).toEqual({ Gold: 'yellow', Silver: 'gray' })
    expect(fieldOf(b, field.id).optionColors).toEqual({ Gold: 'yellow', Silver: 'gray' })
  })
})
