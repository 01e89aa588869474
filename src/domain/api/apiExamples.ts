import { liveFields, type EntityDef, type FieldDef, type WorkspaceSchema } from '../schema'

/*
 * The copy-paste examples of Settings → API, as data: each is one HTTP request, shown as a curl
 * command and as JavaScript (fetch). The same text the page shows is run against a real relay
 * by tests/integration/apiExamples.test.ts, so a documented example cannot quietly break.
 */

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Under /api/v1, e.g. `/deals/abc`. */
  path: string
  query?: Array<[string, string]>
  body?: Record<string, unknown>
}

export interface ApiExample {
  id: 'list' | 'create' | 'update' | 'delete'
  title: string
  request: ApiRequest
  curl: string
  js: string
}

export interface ApiExampleOptions {
  /** The relay's public URL (no trailing /api/v1). */
  baseUrl: string
  /** An API key, or a placeholder such as YOUR_API_KEY. */
  apiKey: string
  /** The entity the examples use (its key); default the first entity. */
  entityKey?: string
  /** The record the update and delete examples change; default a placeholder. */
  recordId?: string
}

export const RECORD_ID_PLACEHOLDER = 'RECORD_ID'

/** The entity examples are shown for when none is chosen: the first in the app's order. */
export function defaultExampleEntity(schema: WorkspaceSchema): EntityDef | undefined {
  return [...schema.entities].sort((a, b) => a.order - b.order)[0]
}

/** The examples for one entity of this workspace; empty when the workspace has no entities. */
export function apiExamples(schema: WorkspaceSchema, options: ApiExampleOptions): ApiExample[] {
  const entity = (options.entityKey && schema.entities.find((e) => e.key === options.entityKey)) || defaultExampleEntity(schema)
  if (!entity) return []
  const fields = liveFields(entity)
  const primary = fields.find((f) => f.id === entity.primaryField) ?? fields.find((f) => f.type === 'text')
  // a select with a real choice makes the clearest filter (a deal's stage rather than its only pipeline)
  const select = fields.find((f) => f.type === 'select' && (f.options?.length ?? 0) > 1) ?? fields.find((f) => f.type === 'select' && (f.options?.length ?? 0) > 0)
  const id = options.recordId ?? RECORD_ID_PLACEHOLDER
  const one = entity.singular.toLowerCase()
  const many = entity.label.toLowerCase()

  const created: Record<string, unknown> = {}
  for (const field of fields) {
    if (field === primary || field === select || field.required) {
      const value = sampleValue(field, `Example ${one}`)
      if (value !== undefined) created[field.key] = value
    }
  }
  // a select with choices (a deal's stage) is sent as its choice's id, since that is what the API answers
  const filter: Array<[string, string]> = select ? [[select.key, String(sampleValue(select, ''))]] : primary ? [[primary.key, `Example ${one}`]] : []
  const filterShown = select ? select.options![0]! : filter[0]?.[1]
  const changed: Record<string, unknown> = primary ? { [primary.key]: `Example ${one} (renamed)` } : {}

  const requests: Array<Omit<ApiExample, 'curl' | 'js'>> = [
    {
      id: 'list',
      title: filter.length ? `List ${many} where ${filter[0]![0]} is “${filterShown}”, newest first` : `List ${many}, newest first`,
      request: { method: 'GET', path: `/${entity.key}`, query: [...filter, ['sort', '-created_at'], ['limit', '20']] },
    },
    { id: 'create', title: `Create a ${one}`, request: { method: 'POST', path: `/${entity.key}`, body: created } },
    { id: 'update', title: `Change a ${one}’s fields (only those you send)`, request: { method: 'PATCH', path: `/${entity.key}/${encodeURIComponent(id)}`, body: changed } },
    { id: 'delete', title: `Delete a ${one} (undoable in the app)`, request: { method: 'DELETE', path: `/${entity.key}/${encodeURIComponent(id)}` } },
  ]
  return requests.map((example) => ({ ...example, curl: curlCommand(example.request, options), js: fetchSnippet(example.request, options) }))
}

/** A value a new record can hold for the field, in the API's JSON; undefined when there is no safe sample. */
function sampleValue(field: FieldDef, text: string): unknown {
  switch (field.type) {
    case 'text':
    case 'longText':
      return text
    case 'select':
      return field.choices?.[0]?.id ?? field.options?.[0]
    case 'multiSelect':
      return field.options?.slice(0, 1)
    case 'email':
      return 'ann.example@example.com'
    case 'phone':
      return '+4930123456'
    case 'url':
      return 'https://example.com'
    case 'number':
      return field.min ?? 1
    case 'money':
      return { amount: 1200, currency: field.currency ?? 'EUR' }
    case 'date':
      return '2026-12-01'
    case 'dateTime':
      return '2026-12-01T09:30:00Z'
    case 'checkbox':
      return true
    case 'link':
    case 'member':
      return undefined
  }
}

function url(request: ApiRequest, baseUrl: string): string {
  const query = request.query?.length ? `?${new URLSearchParams(request.query).toString()}` : ''
  return `${baseUrl.replace(/\/+$/, '')}/api/v1${request.path}${query}`
}

/** POSIX shell single quotes: safe for any text, including quotes inside. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function curlCommand(request: ApiRequest, options: ApiExampleOptions): string {
  const lines = [`curl --fail-with-body -sS${request.method === 'GET' ? '' : ` -X ${request.method}`} ${shellQuote(url(request, options.baseUrl))}`]
  lines.push(`-H ${shellQuote(`Authorization: Bearer ${options.apiKey}`)}`)
  if (request.body) {
    lines.push(`-H 'Content-Type: application/json'`)
    lines.push(`-d ${shellQuote(JSON.stringify(request.body))}`)
  }
  return lines.join(' \\\n  ')
}

function fetchSnippet(request: ApiRequest, options: ApiExampleOptions): string {
  const init = [
    ...(request.method === 'GET' ? [] : [`  method: ${JSON.stringify(request.method)},`]),
    `  headers: { Authorization: ${JSON.stringify(`Bearer ${options.apiKey}`)}${request.body ? `, "Content-Type": "application/json"` : ''} },`,
    ...(request.body ? [`  body: JSON.stringify(${JSON.stringify(request.body, null, 2).replace(/\n/g, '\n  ')}),`] : []),
  ]
  const read = request.method === 'DELETE' ? `console.log(res.status) // 204: deleted` : `console.log(JSON.stringify(await res.json(), null, 2))`
  return [
    `const res = await fetch(${JSON.stringify(url(request, options.baseUrl))}, {`,
    ...init,
    `})`,
    'if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`)',
    read,
  ].join('\n')
}
