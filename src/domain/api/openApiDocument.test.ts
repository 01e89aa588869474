import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import type { EntityDef, WorkspaceSchema } from '../schema'
import { openApiDocument, PROBLEM_STATUSES } from './openApiDocument'

type Json = Record<string, unknown>

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/** Every `$ref` in the document, with where it sits. */
function refs(node: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => refs(item, `${at}/${i}`))
  if (typeof node !== 'object' || node === null) return []
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [{ ref: value, at }] : refs(value, `${at}/${key}`)))
}

function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  return ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}

function withCustomFields(): WorkspaceSchema {
  const schema = defaultSchema()
  const deals = schema.entities.find((e) => e.id === 'deals')!
  deals.fields.push(
    { id: 'fx1', key: 'renewal_on', label: 'Renewal on', type: 'date', order: 50 },
    { id: 'fx2', key: 'tags', label: 'Tags', type: 'multiSelect', options: ['hot', 'cold'], order: 51 },
    { id: 'fx3', key: 'old', label: 'Old', type: 'text', order: 52, deletedAt: '2026-01-01T00:00:00Z' },
  )
  const custom: EntityDef = {
    id: 'e1', key: 'tickets', label: 'Tickets', singular: 'Support ticket', primaryField: 'e1.subject', order: 9,
    fields: [
      { id: 'e1.subject', key: 'subject', label: 'Subject', type: 'text', order: 0, required: true },
      { id: 'e1.deal', key: 'deal', label: 'Deal', type: 'link', linkEntity: 'deals', order: 1 },
      { id: 'e1.watchers', key: 'watchers', label: 'Watchers', type: 'link', linkEntity: 'contacts', multiple: true, order: 2 },
    ],
  }
  schema.entities.push(custom)
  return schema
}

describe('openApiDocument', () => {
  const schema = withCustomFields()
  const doc = openApiDocument(schema, { baseUrl: 'https://crm.example.com/' })
  const paths = doc.paths as Record<string, Record<string, Json>>
  const schemas = (doc.components as Json).schemas as Record<string, Json>

  it('is an OpenAPI 3.1 document for this relay with a bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: 'https://crm.example.com/api/v1' }])
    expect(doc.security).toEqual([{ bearer: [] }])
    expect((doc.components as Json).securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) })
  })

  it('every $ref resolves', () => {
    const all = refs(doc)
    expect(all.length).toBeGreaterThan(50)
    for (const { ref, at } of all) expect(resolve(doc, ref), `${ref} at ${at}`).toBeDefined()
  })

  it('every entity has list, create, get, patch and delete, with unique operation ids and declared path parameters', () => {
    for (const entity of schema.entities) {
      expect(Object.keys(paths[`/${entity.key}`] ?? {}).sort(), entity.key).toEqual(['get', 'post'])
      expect(Object.keys(paths[`/${entity.key}/{id}`] ?? {}).sort(), entity.key).toEqual(['delete', 'get', 'parameters', 'patch'])
      // the trash (issue 15): its list, restore, and purge on delete
      expect(Object.keys(paths[`/${entity.key}/trash`] ?? {}), entity.key).toEqual(['get'])
      expect(Object.keys(paths[`/${entity.key}/import`] ?? {}), entity.key).toEqual(['post'])
      const post = paths[`/${entity.key}/import`]!.post as Json
      expect(Object.keys((post.requestBody as { content: Json }).content), entity.key).toEqual(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'])
      expect((post.parameters as Json[]).map((p) => p.name), entity.key).toEqual(['mapping', 'dedupe', 'on_duplicate'])
      // the export (issue 18): the list's filters without its pages
      const exported = paths[`/${entity.key}/export`]!.get as Json
      expect((exported.parameters as Json[]).slice(0, 2).map((p) => p.name), entity.key).toEqual(['format', 'fields'])
      expect((exported.parameters as Json[]).map((p) => p.$ref), entity.key).not.toContain('#/components/parameters/limit')
      expect(Object.keys(paths[`/${entity.key}/{id}/restore`] ?? {}).sort(), entity.key).toEqual(['parameters', 'post'])
      expect((paths[`/${entity.key}/{id}`]!.delete!.parameters as Json[]).map((p) => p.name), entity.key).toEqual(['purge'])
      // the record history (issue 15)
      expect(Object.keys(paths[`/${entity.key}/{id}/history`] ?? {}).sort(), entity.key).toEqual(['get', 'parameters'])
    }
    const ids: string[] = []
    for (const [path, item] of Object.entries(paths)) {
      const declared = new Set(((item.parameters ?? []) as Json[]).map((p) => p.name))
      for (const name of path.match(/\{[^}]+\}/g) ?? []) expect(declared.has(name.slice(1, -1)), path).toBe(true)
      for (const [method, operation] of Object.entries(item)) {
        if (!HTTP_METHODS.has(method)) continue
        ids.push(operation.operationId as string)
        expect(Object.keys(operation.responses as Json).length, `${method} ${path}`).toBeGreaterThan(1)
      }
    }
    expect(new Set(ids).size).toBe(ids.length)
    expect(paths['/schema']).toHaveProperty('get')
    expect(paths['/search']?.get).toMatchObject({ operationId: 'search', parameters: [{ name: 'q', required: true }, { name: 'limit' }] })
    expect(paths['/api-keys']).toHaveProperty('post')
    expect(paths['/api-keys/{id}']).toHaveProperty('delete')
  })

  it('has a component schema per entity keyed by the fields’ API keys, typed by field type', () => {
    const deal = schemas.Deal!.properties as Record<string, Json>
    expect(Object.keys(deal)).toEqual(['id', 'title', 'company', 'contacts', 'pipeline', 'stage', 'amount', 'currency', 'close_date', 'probability', 'owner', 'source', 'lost_reason', 'renewal_on', 'tags', 'created_at', 'updated_at'])
    expect(deal.amount).toEqual({ oneOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }], title: 'Amount' })
    expect(deal.close_date).toMatchObject({ type: ['string', 'null'], format: 'date' })
    expect(deal.stage).toMatchObject({ enum: ['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Won', 'Lost', null] })
    expect(deal.contacts).toMatchObject({ type: 'array', items: { type: 'string' } })
    expect(deal.probability).toMatchObject({ type: ['number', 'null'], minimum: 0, maximum: 100 })
    expect(deal.tags).toMatchObject({ type: ['array', 'null'], items: { enum: ['hot', 'cold'] } })
    expect(deal.created_at).toMatchObject({ format: 'date-time' })
    expect((schemas.Activity!.properties as Record<string, Json>).due).toMatchObject({ format: 'date-time' })
    expect(schemas.Money).toMatchObject({ required: ['amount', 'currency'] })
    // a custom entity, its singular as the name; required fields on input
    expect(schemas.SupportTicket!.properties).toHaveProperty('watchers')
    expect(schemas.SupportTicketInput).toMatchObject({ required: ['subject'], additionalProperties: false })
    expect((schemas.SupportTicketInput!.properties as Json)).not.toHaveProperty('id')
  })

  it('lists the query parameters of a list: every field, ranges where they apply, q, sort, limit, cursor', () => {
    const params = (paths['/deals']!.get!.parameters as Json[]).map((p) => (p.$ref as string | undefined)?.split('/').pop() ?? p.name)
    expect(params).toEqual(expect.arrayContaining(['q', 'sort', 'limit', 'cursor', 'stage', 'owner', 'amount[gte]', 'close_date[lt]', 'renewal_on[gt]', 'created_at[gte]', 'updated_at[lte]']))
    expect(params).not.toContain('title[gt]')
    expect(params).not.toContain('old')
  })

  it('describes every other /api/v1 route: forms, webhooks and their deliveries, calls, the event stream', () => {
    const methods = (path: string) => Object.keys(paths[path] ?? {}).filter((k) => HTTP_METHODS.has(k)).sort()
    expect(methods('/forms')).toEqual(['get', 'post'])
    expect(methods('/webhooks')).toEqual(['get', 'post'])
    expect(methods('/webhooks/{id}')).toEqual(['delete', 'get'])
    expect(methods('/webhook-deliveries')).toEqual(['get'])
    expect(methods('/calls')).toEqual(['post'])
    expect(methods('/events')).toEqual(['get'])
    expect(paths['/forms']!.post!.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/NewForm' } } } })
    expect(schemas.NewForm).toMatchObject({ required: ['name', 'fields'], additionalProperties: false })
    expect(Object.keys((paths['/webhooks']!.post!.responses as Json)['201'] as Json)).toContain('content')
    expect(JSON.stringify(schemas.CreatedWebhook)).toContain('secret')
    expect((schemas.NewWebhook!.properties as Record<string, Json>).events).toMatchObject({ items: { enum: ['record.created', 'record.updated', 'record.deleted', 'deal.stage_changed'] } })
    expect(Object.keys(paths['/calls']!.post!.responses as Json)).toEqual(expect.arrayContaining(['201', '202', '422']))
    expect((schemas.Call!.properties as Record<string, Json>).outcome).toMatchObject({ enum: ['answered', 'no_answer', 'busy', 'failed', 'voicemail'] })
    expect(Object.keys((paths['/events']!.get!.responses as Record<string, Json>)['200']!.content as Json)).toEqual(['text/event-stream'])
  })

  it('describes the reports: the funnel with its parameters and exact stage keys, and the reports run by id (issue 17)', () => {
    expect(Object.keys(paths['/reports/funnel']!.get!)).toContain('parameters')
    expect((paths['/reports/funnel']!.get!.parameters as Json[]).map((p) => p.name)).toEqual(['pipeline', 'from', 'to', 'basis', 'owner', 'source'])
    expect(schemas.FunnelStage).toMatchObject({ required: ['id', 'name', 'count', 'amount', 'conversion_from_previous', 'conversion_from_first', 'avg_days_in_stage'], additionalProperties: false })
    expect(schemas.Funnel!.required).toEqual(expect.arrayContaining(['stages', 'win_rate']))
    expect(JSON.stringify(paths['/reports/{id}'])).toContain('win_rate_by_owner')
  })

  it('describes the public form at /f/{formId} on the relay itself, with no token', () => {
    const form = paths['/f/{formId}']!
    expect(form.servers).toEqual([expect.objectContaining({ url: 'https://crm.example.com' })])
    expect(form.get!.security).toEqual([])
    expect(form.post!.security).toEqual([])
    expect(Object.keys((form.post!.requestBody as Json).content as Json)).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'])
    expect(Object.keys(form.post!.responses as Json)).toEqual(expect.arrayContaining(['200', '201', '303', '422', '429']))
  })

  it('lists the pipelines in the schema answer, and a deal read with its lines and totals', () => {
    expect((schemas.WorkspaceSchema!.properties as Json).pipelines).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/Pipeline' } })
    expect(schemas.Pipeline).toMatchObject({ required: ['id', 'name', 'stages'] })
    const read = (paths['/deals/{id}']!.get!.responses as Record<string, Json>)['200']!
    expect(read).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/DealWithLines' } } } })
    const [deal, extra] = schemas.DealWithLines!.allOf as Json[]
    expect(deal).toEqual({ $ref: '#/components/schemas/Deal' })
    expect(Object.keys(extra!.properties as Json)).toEqual(['lines', 'totals', 'totals_error', 'stock_warnings', 'documents'])
    expect(JSON.stringify(extra)).toContain('#/components/schemas/DealLine')
    expect(schemas.DealTotals).toMatchObject({ required: ['subtotal', 'discount', 'tax', 'total', 'currency'] })
    // the other entities answer their record alone
    expect((paths['/contacts/{id}']!.get!.responses as Record<string, Json>)['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Contact' } } } })
  })

  it('documents issuing a quote or an invoice of a deal, and the deal\'s documents in its read (issue 14)', () => {
    const issue = paths['/deals/{id}/documents']!.post!
    expect(issue).toMatchObject({ operationId: 'issue_deal_document', tags: ['Deals'] })
    expect((issue.requestBody as Json)).toMatchObject({ content: { 'application/json': { schema: { required: ['kind'], properties: { kind: { enum: ['quote', 'invoice'] } } } } } })
    expect(Object.keys(issue.responses as Json)).toEqual(expect.arrayContaining(['201', '403', '404', '422']))
    expect(schemas.DealDocument).toMatchObject({ required: ['id', 'kind', 'number', 'issued_at', 'issued_by', 'valid_until', 'terms', 'numbered_at'] })
    expect(((schemas.DealWithLines!.allOf as Json[])[1]!.properties as Json).documents).toMatchObject({ items: { $ref: '#/components/schemas/DealDocument' } })
  })

  it('a custom entity named like a fixed component gets a name of its own', () => {
    const named = defaultSchema()
    named.entities.push({ id: 'e2', key: 'webhooks_log', label: 'Webhooks', singular: 'Webhook', primaryField: 'e2.t', order: 10, fields: [{ id: 'e2.t', key: 't', label: 'T', type: 'text', order: 0 }] })
    const other = openApiDocument(named, { baseUrl: 'https://crm.example.com' })
    const all = (other.components as Json).schemas as Record<string, Json>
    expect(all.Webhook).toMatchObject({ required: ['id', 'url', 'events', 'entity', 'created_at', 'created_by'] })
    expect(all.Webhook2).toMatchObject({ title: 'Webhook' })
  })

  it('answers refusals as problem+json, 429 with Retry-After', () => {
    const responses = (doc.components as Json).responses as Record<string, Json>
    for (const status of PROBLEM_STATUSES) expect(Object.keys(responses[`Problem${status}`]!.content as Json)).toEqual(['application/problem+json'])
    expect(responses.Problem429!.headers).toHaveProperty('Retry-After')
    expect(Object.keys(paths['/deals']!.post!.responses as Json)).toEqual(['201', '400', '401', '403', '422', '429'])
  })
})
