import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { WorkspaceSchema } from '../schema'
import { apiExamples, RECORD_ID_PLACEHOLDER } from './apiExamples'

const options = { baseUrl: 'https://crm.example.com/', apiKey: 'YOUR_API_KEY' }

describe('apiExamples', () => {
  it('lists, creates, updates and deletes the first entity by default, on this relay’s URL', () => {
    const examples = apiExamples(defaultSchema(), options)
    expect(examples.map((e) => e.id)).toEqual(['list', 'create', 'update', 'delete'])
    expect(examples[0]!.request).toEqual({ method: 'GET', path: '/leads', query: [['source', 'Website'], ['sort', '-created_at'], ['limit', '20']] })
    expect(examples[0]!.curl).toContain(`'https://crm.example.com/api/v1/leads?source=Website&sort=-created_at&limit=20'`)
    expect(examples[2]!.request.path).toBe(`/leads/${RECORD_ID_PLACEHOLDER}`)
    expect(examples[1]!.js).toContain('headers: { Authorization: "Bearer YOUR_API_KEY", "Content-Type": "application/json" }')
  })

  it('fills every required field of a new record, and filters by a select with a real choice', () => {
    const schema = defaultSchema()
    const deals = schema.entities.find((e) => e.key === 'deals')!
    deals.fields.find((f) => f.key === 'close_date')!.required = true
    const [list, create] = apiExamples(schema, { ...options, entityKey: 'deals', recordId: 'a/b' })
    expect(list!.request.query?.[0]).toEqual(['stage', 'New'])
    expect(create!.request.body).toEqual({ title: 'Example deal', stage: 'New', close_date: '2026-12-01' })
  })

  it('sends a stage as its id, as the API answers it, and names it in the title', () => {
    const schema = defaultSchema()
    const stage = schema.entities.find((e) => e.key === 'deals')!.fields.find((f) => f.key === 'stage')!
    // what reading the schema document derives from the pipelines
    stage.choices = [{ id: 'sales.new', label: 'New' }, { id: 'sales.won', label: 'Won' }]
    stage.options = stage.choices.map((c) => c.label)
    const [list, create] = apiExamples(schema, { ...options, entityKey: 'deals' })
    expect(list!.request.query?.[0]).toEqual(['stage', 'sales.new'])
    expect(list!.title).toBe('List deals where stage is “New”, newest first')
    expect(create!.request.body).toEqual({ title: 'Example deal', stage: 'sales.new' })
  })

  it('quotes for the shell and for JavaScript whatever the schema’s names hold', () => {
    const schema: WorkspaceSchema = {
      entities: [{
        id: 'x', key: 'quotes', label: 'Quotes', singular: `O'Brien "quote"`, primaryField: 'x.name', order: 0,
        fields: [{ id: 'x.name', key: 'name', label: 'Name', type: 'text', order: 0 }],
      }],
    }
    const create = apiExamples(schema, options)[1]!
    expect(create.request.body).toEqual({ name: `Example o'brien "quote"` })
    expect(create.curl).toContain(`-d '{"name":"Example o'\\''brien \\"quote\\""}'`)
    expect(create.js).toContain(`"name": "Example o'brien \\"quote\\""`)
  })

  it('has nothing to show for a workspace without entities', () => {
    expect(apiExamples({ entities: [] }, options)).toEqual([])
  })
})
