import { HISTORY_KINDS, HISTORY_VIA } from '../history/historyEntry'
import { FIELD_TYPES, findEntity, liveFields, type EntityDef, type FieldDef, type WorkspaceSchema } from '../schema'
import { INTEGRATION_SCHEMA_NAMES, integrationPaths, integrationSchemas } from './integrationPaths'
import { REPORT_SCHEMA_NAMES, reportPaths, reportSchemas } from './reportPaths'
import { RULE_SCHEMA_NAMES, rulePaths, ruleSchemas } from './rulePaths'
import { IMPORT_SCHEMA_NAMES, importPaths, importSchemas } from './importPaths'
import { backupPaths } from './backupPaths'
import { duplicatePaths } from './duplicatePaths'
import { exportPaths } from './exportPaths'

/*
 * GET /api/v1/openapi.json: the API as OpenAPI 3.1, written from the live workspace schema, so
 * a custom field or entity shows up in the document (and in generated clients) as soon as it
 * is added. Pure: the relay passes the schema it has stored and its public URL.
 */

type Json = Record<string, unknown>

export interface OpenApiOptions {
  /** The relay's public base URL (KANSO_PUBLIC_URL); the API is under `<base>/api/v1`. */
  baseUrl: string
  /** The relay's version, for `info.version`. */
  version?: string
}

/** Statuses a refusal of the API may have, each answered as application/problem+json. */
export const PROBLEM_STATUSES = ['400', '401', '403', '404', '409', '422', '429', '503'] as const

const PROBLEM_DESCRIPTIONS: Record<(typeof PROBLEM_STATUSES)[number], string> = {
  400: 'The request is malformed (not JSON, a bad query parameter, a bad path).',
  401: 'No token, or an unknown or revoked one.',
  403: 'The token’s role may not do this (a viewer writing, a non-admin managing API keys).',
  404: 'No such entity, record, API key or webhook.',
  409: 'The workspace cannot take it as configured (e.g. a call with no activities entity to log it in).',
  422: 'Some fields are not valid: `errors` names each one and why. Nothing was written.',
  429: 'Over the rate limit of this API key or member: wait `Retry-After` seconds.',
  503: 'The write was not stored (storage refused it): nothing was written; retry after `Retry-After` seconds.',
}

const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] })

/** A component name for the entity: its singular in PascalCase (`Deal`), made unique and valid. */
function schemaNames(entities: EntityDef[]): Map<string, string> {
  const taken = new Set<string>(['Problem', 'FieldProblem', 'Money', 'ApiKey', 'NewApiKey', 'CreatedApiKey', 'WorkspaceSchema', ...INTEGRATION_SCHEMA_NAMES, ...REPORT_SCHEMA_NAMES, ...RULE_SCHEMA_NAMES, ...IMPORT_SCHEMA_NAMES])
  const names = new Map<string, string>()
  for (const entity of entities) {
    const words = (entity.singular || entity.key).normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean)
    let base = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Record'
    if (/^\d/.test(base)) base = `R${base}`
    let name = base
    for (let n = 2; taken.has(name) || taken.has(`${name}Input`) || taken.has(`${name}List`) || taken.has(`${name}WithLines`); n++) name = `${base}${n}`
    taken.add(name).add(`${name}Input`).add(`${name}List`).add(`${name}WithLines`)
    names.set(entity.id, name)
  }
  return names
}

/** The JSON a record carries for the field (what GET answers). */
export function fieldValueSchema(field: FieldDef, entities: readonly EntityDef[]): Json {
  const described = (schema: Json): Json => ({ ...schema, title: field.label })
  switch (field.type) {
    case 'text':
    case 'longText':
      return described({ type: ['string', 'null'] })
    case 'email':
      return described({ type: ['string', 'null'], format: 'email' })
    case 'url':
      return described({ type: ['string', 'null'], format: 'uri' })
    case 'phone':
      return described({ type: ['string', 'null'], description: 'E.164 with its country code, e.g. +4930123456' })
    case 'number':
      return described({ type: ['number', 'null'], ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) })
    case 'money':
      return { ...nullable(ref('Money')), title: field.label }
    case 'date':
      return described({ type: ['string', 'null'], format: 'date' })
    case 'dateTime':
      return described({ type: ['string', 'null'], format: 'date-time' })
    case 'checkbox':
      return described({ type: ['boolean', 'null'] })
    case 'select':
      // a pipeline or a stage is its id (GET /api/v1/schema lists them under `pipelines`)
      if (field.choices) return described({ type: ['string', 'null'], enum: [...field.choices.map((c) => c.id), null], description: `The id of a ${field.choicesFrom === 'stages' ? 'stage' : 'pipeline'} (GET /api/v1/schema → pipelines); its name is read too` })
      return described({ type: ['string', 'null'], enum: [...(field.options ?? []), null] })
    case 'multiSelect':
      return described({ type: ['array', 'null'], items: { type: 'string', enum: [...(field.options ?? [])] }, uniqueItems: true })
    case 'member':
      return described({ type: ['string', 'null'], description: 'A member id (see GET /api/members)' })
    case 'link': {
      const target = entities.find((e) => e.id === field.linkEntity)
      const what = `The id of a ${target ? target.singular.toLowerCase() : 'record'}${target ? ` (/${target.key})` : ''}`
      return field.multiple
        ? described({ type: 'array', items: { type: 'string' }, description: `${what}, one per linked record` })
        : described({ type: ['string', 'null'], description: what })
    }
  }
}

/** What a POST or PATCH may send for the field: the value GET shows, or text typed as in the grid. */
function fieldInputSchema(field: FieldDef, entities: readonly EntityDef[]): Json {
  const value = fieldValueSchema(field, entities)
  const isText = field.type === 'text' || field.type === 'longText' || field.type === 'email' || field.type === 'url' || field.type === 'phone' || field.type === 'member'
  if (isText) return value
  const { title, ...typed } = value
  return {
    title,
    anyOf: [typed, { type: 'string', description: 'Text as a person types it in the grid (“1 234,50 €”, “27.11.2026”, “yes”)' }],
  }
}

function entitySchemas(entity: EntityDef, entities: readonly EntityDef[], name: string): Record<string, Json> {
  const fields = liveFields(entity)
  const properties: Record<string, Json> = { id: { type: 'string', readOnly: true } }
  for (const field of fields) properties[field.key] = fieldValueSchema(field, entities)
  properties.created_at = { type: 'string', format: 'date-time', readOnly: true }
  properties.updated_at = { type: 'string', format: 'date-time', readOnly: true }
  const input: Record<string, Json> = {}
  for (const field of fields) input[field.key] = fieldInputSchema(field, entities)
  const required = fields.filter((f) => f.required).map((f) => f.key)
  return {
    [name]: { type: 'object', title: entity.singular, properties, required: ['id', ...fields.map((f) => f.key), 'created_at', 'updated_at'] },
    [`${name}Input`]: {
      type: 'object',
      title: `${entity.singular} (to write)`,
      description: 'Fields by their API key. POST checks required fields; PATCH changes only the fields it names. `null` empties a field.',
      properties: input,
      additionalProperties: false,
      ...(required.length ? { required } : {}),
    },
    [`${name}List`]: {
      type: 'object',
      properties: {
        data: { type: 'array', items: ref(name) },
        next_cursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page (same filters and sort); null on the last page.' },
      },
      required: ['data', 'next_cursor'],
    },
    [`${name}TrashList`]: {
      type: 'object',
      properties: {
        data: {
          type: 'array',
          items: {
            allOf: [ref(name), {
              type: 'object',
              properties: {
                deleted_at: { type: 'string', format: 'date-time' },
                deleted_by: { type: ['string', 'null'], description: 'The id of the member who deleted it; null for deletes made before it was recorded' },
              },
              required: ['deleted_at', 'deleted_by'],
            }],
          },
          description: 'Newest deletion first',
        },
        next_cursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page; null on the last page.' },
      },
      required: ['data', 'next_cursor'],
    },
  }
}

function problems(...statuses: Array<(typeof PROBLEM_STATUSES)[number]>): Record<string, Json> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/Problem${status}` }]))
}

function json(schema: Json, description: string): Json {
  return { description, content: { 'application/json': { schema } } }
}

function listParameters(entity: EntityDef): Json[] {
  const parameters: Json[] = [
    { $ref: '#/components/parameters/q' },
    { $ref: '#/components/parameters/sort' },
    { $ref: '#/components/parameters/limit' },
    { $ref: '#/components/parameters/cursor' },
    {
      name: 'view',
      in: 'query',
      required: false,
      description: 'A saved view\'s id (GET /views), or `mine` (the owner is the caller) or `all`: its conditions ("is me" being the caller) and, unless `sort` is given, its sort; the other parameters narrow it further. 404 for a view the caller does not see.',
      schema: { type: 'string' },
    },
  ]
  const rangeable = (f: FieldDef) => f.type === 'number' || f.type === 'money' || f.type === 'date' || f.type === 'dateTime'
  for (const field of liveFields(entity)) {
    parameters.push({
      name: field.key,
      in: 'query',
      required: false,
      description: `Records whose ${field.label} equals this (typed as in the grid; several: any of them; a list field: contains it; empty: no value${field.type === 'checkbox' ? '; false also finds records that never had it set' : ''})`,
      schema: { type: 'array', items: { type: 'string' } },
      style: 'form',
      explode: true,
    })
    if (!rangeable(field)) continue
    for (const op of RANGE_OPS) {
      parameters.push({
        name: `${field.key}[${op}]`,
        in: 'query',
        required: false,
        description: `${field.label} ${op === 'gt' ? '>' : op === 'gte' ? '≥' : op === 'lt' ? '<' : '≤'} this${field.type === 'money' ? ' (an amount in major units)' : ''}`,
        schema: { type: 'string' },
      })
    }
  }
  for (const meta of ['created_at', 'updated_at']) {
    for (const op of RANGE_OPS) {
      parameters.push({ name: `${meta}[${op}]`, in: 'query', required: false, description: `${meta} ${op} this ISO 8601 date-time`, schema: { type: 'string', format: 'date-time' } })
    }
  }
  return parameters
}

/**
 * What GET /deals/{id} answers (server/api/dealWithLines): the deal, its deal_lines records each
 * with `line_total`, their `totals` (null with `totals_error` when they cannot be added up) and
 * `stock_warnings`, and the quotes and invoices issued of it (`documents`).
 */
function dealWithLinesSchema(dealName: string, lineName: string): Json {
  return {
    allOf: [
      ref(dealName),
      {
        type: 'object',
        properties: {
          lines: { type: 'array', items: { allOf: [ref(lineName), { type: 'object', properties: { line_total: { type: ['number', 'null'], description: 'In major units' } }, required: ['line_total'] }] } },
          totals: nullable(ref('DealTotals')),
          totals_error: { type: 'string', description: 'Why the lines could not be added up (e.g. two currencies)' },
          stock_warnings: { type: 'array', items: ref('StockWarning') },
          documents: DEAL_DOCUMENTS,
        },
        required: ['lines', 'totals', 'stock_warnings', 'documents'],
      },
    ],
  }
}

const DEAL_DOCUMENTS: Json = { type: 'array', items: ref('DealDocument'), description: 'Oldest first; a pending one has number null' }

function entityPaths(entity: EntityDef, name: string, readName = name): Record<string, Json> {
  const tag = entity.label
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: `The ${entity.singular.toLowerCase()}'s id` }
  const body = { required: true, content: { 'application/json': { schema: ref(`${name}Input`) } } }
  return {
    [`/${entity.key}`]: {
      get: {
        operationId: `list_${entity.key}`,
        tags: [tag],
        summary: `List ${entity.label.toLowerCase()}`,
        parameters: listParameters(entity),
        responses: { 200: json(ref(`${name}List`), `One page of ${entity.label.toLowerCase()}`), ...problems('400', '401', '429') },
      },
      post: {
        operationId: `create_${entity.key}`,
        tags: [tag],
        summary: `Create a ${entity.singular.toLowerCase()}`,
        parameters: [{ $ref: '#/components/parameters/idempotencyKey' }],
        requestBody: body,
        responses: { 201: json(ref(name), `The new ${entity.singular.toLowerCase()}`), ...problems('400', '401', '403', '422', '429') },
      },
    },
    [`/${entity.key}/{id}`]: {
      parameters: [idParameter],
      get: {
        operationId: `get_${entity.key}`,
        tags: [tag],
        summary: `Get a ${entity.singular.toLowerCase()}`,
        responses: { 200: json(ref(readName), `The ${entity.singular.toLowerCase()}`), ...problems('401', '404', '429') },
      },
      patch: {
        operationId: `update_${entity.key}`,
        tags: [tag],
        summary: `Change some fields of a ${entity.singular.toLowerCase()}`,
        requestBody: body,
        responses: { 200: json(ref(name), `The ${entity.singular.toLowerCase()} as changed`), ...problems('400', '401', '403', '404', '422', '429') },
      },
      delete: {
        operationId: `delete_${entity.key}`,
        tags: [tag],
        summary: `Delete a ${entity.singular.toLowerCase()} (the app's soft delete: undoable there, listed in the trash)`,
        parameters: [{
          name: 'purge',
          in: 'query',
          required: false,
          schema: { type: 'boolean' },
          description: 'true (admins only): purge it for good, deleted or not — its values are removed from the workspace, it leaves the trash and cannot be restored',
        }],
        responses: { 204: { description: 'Deleted (or purged)' }, ...problems('401', '403', '404', '429') },
      },
    },
    [`/${entity.key}/trash`]: {
      get: {
        operationId: `trash_${entity.key}`,
        tags: [tag],
        summary: `Deleted ${entity.label.toLowerCase()}, newest first, with who deleted them and when`,
        parameters: [{ $ref: '#/components/parameters/limit' }, { $ref: '#/components/parameters/cursor' }],
        responses: { 200: json(ref(`${name}TrashList`), `One page of the ${entity.label.toLowerCase()} in the trash`), ...problems('400', '401', '429') },
      },
    },
    [`/${entity.key}/{id}/restore`]: {
      parameters: [idParameter],
      post: {
        operationId: `restore_${entity.key}`,
        tags: [tag],
        summary: `Restore a deleted ${entity.singular.toLowerCase()} from the trash`,
        responses: { 200: json(ref(name), `The ${entity.singular.toLowerCase()}, live again`), ...problems('401', '403', '404', '409', '429') },
      },
    },
    [`/${entity.key}/{id}/history`]: {
      parameters: [idParameter],
      get: {
        operationId: `history_${entity.key}`,
        tags: [tag],
        summary: `Who changed which field of a ${entity.singular.toLowerCase()} from what to what, and when (newest first)`,
        description: 'Every member may read it, also of a deleted record. Each field change is one entry (`field` by its API key, values as GET shows them); '
          + 'created, deleted and restored are entries of their own kinds, and a value that lost to a change made at the same time elsewhere is a `conflict` '
          + '(`from` the value kept, `to` the one that lost). `at` is the time of the edit by its writer\'s clock, also for edits made offline, but never more '
          + 'than 2 minutes ahead of the relay\'s clock when it arrived. A merge of duplicates is a `merged` entry (`from` the merged record\'s id, `to` the survivor\'s); '
          + 'the survivor\'s history includes the history of the records merged into it, each such entry naming its `record`.',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT }, description: 'The newest this many entries' }],
        responses: { 200: json(ref('HistoryList'), `The ${entity.singular.toLowerCase()}'s history`), ...problems('400', '401', '404', '429') },
      },
    },
  }
}

/** GET /{entity}/{id}/history answers this many entries unless ?limit= asks otherwise (server/api/recordHistoryRoute.ts). */
export const HISTORY_DEFAULT_LIMIT = 1000
export const HISTORY_MAX_LIMIT = 10_000

function fixedComponents(): { schemas: Record<string, Json>; responses: Record<string, Json>; parameters: Record<string, Json> } {
  const schemas: Record<string, Json> = {
    Money: {
      type: 'object',
      properties: { amount: { type: 'number', description: 'In major units (12.5 is 12 euros 50 cents)' }, currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217' } },
      required: ['amount', 'currency'],
    },
    HistoryEntry: {
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time', description: 'When the edit was made (the writer\'s clock, bounded by the relay\'s)' },
        member: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'], description: 'Who made it (the relay\'s own writes: an id starting with relay:)' },
        field: { type: ['string', 'null'], description: 'The field\'s API key; null for created, deleted and restored' },
        from: { description: 'The value before, as GET shows it (null: empty); for a conflict, the value kept' },
        to: { description: 'The value after; for a conflict, the value that lost' },
        kind: { type: 'string', enum: [...HISTORY_KINDS] },
        via: { type: 'string', enum: [...HISTORY_VIA], description: 'How it reached the relay: app (a member\'s app), api, form, call, import, relay (the relay itself)' },
        record: { type: 'string', description: 'Only on entries of a record merged into this one: that record\'s id' },
      },
      required: ['at', 'member', 'field', 'from', 'to', 'kind', 'via'],
    },
    HistoryList: { type: 'object', properties: { data: { type: 'array', items: ref('HistoryEntry'), description: 'Newest first' } }, required: ['data'] },
    FieldProblem: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] },
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: ref('FieldProblem') },
      },
      required: ['title', 'status', 'detail'],
    },
    ApiKey: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', enum: ['admin', 'editor', 'viewer'] },
        created_at: { type: 'string', format: 'date-time' },
        revoked_at: { type: ['string', 'null'], format: 'date-time' },
      },
      required: ['id', 'name', 'role', 'created_at', 'revoked_at'],
    },
    NewApiKey: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 80 }, role: { type: 'string', enum: ['admin', 'editor', 'viewer'] } },
      required: ['name', 'role'],
      additionalProperties: false,
    },
    CreatedApiKey: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', enum: ['admin', 'editor', 'viewer'] },
        created_at: { type: 'string', format: 'date-time' },
        key: { type: 'string', description: 'The secret, shown only in this answer: send it as `Authorization: Bearer <key>`' },
      },
      required: ['id', 'name', 'role', 'created_at', 'key'],
    },
    WorkspaceSchema: {
      type: 'object',
      description: 'The entities and their fields, and the workspace settings.',
      properties: {
        entities: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              key: { type: 'string', description: 'The path of its records: /{key}' },
              label: { type: 'string' },
              singular: { type: 'string' },
              primary_field: { type: ['string', 'null'] },
              fields: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: { type: 'string' },
                    label: { type: 'string' },
                    type: { type: 'string', enum: [...FIELD_TYPES] },
                    options: { type: 'array', items: { type: 'string' } },
                    link_entity: { type: ['string', 'null'] },
                    multiple: { type: 'boolean' },
                    currency: { type: 'string' },
                    min: { type: 'number' },
                    max: { type: 'number' },
                    required: { type: 'boolean' },
                  },
                  required: ['key', 'label', 'type', 'required'],
                },
              },
            },
            required: ['key', 'label', 'singular', 'fields'],
          },
        },
        workspace: { type: 'object' },
        pipelines: { type: 'array', items: ref('Pipeline'), description: 'The live pipelines, each with its live stages in order; a deal’s pipeline and stage are their ids' },
      },
      required: ['entities', 'pipelines'],
    },
  }
  const responses: Record<string, Json> = {}
  for (const status of PROBLEM_STATUSES) {
    responses[`Problem${status}`] = {
      description: PROBLEM_DESCRIPTIONS[status],
      ...(status === '429' ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } } } : {}),
      content: { 'application/problem+json': { schema: ref('Problem') } },
    }
  }
  const parameters: Record<string, Json> = {
    q: { name: 'q', in: 'query', required: false, description: 'Records with every word somewhere in their values (case-insensitive)', schema: { type: 'string' } },
    sort: { name: 'sort', in: 'query', required: false, description: 'Field keys separated by commas, `-` for descending: `-amount,title`. Default: created_at', schema: { type: 'string' } },
    limit: { name: 'limit', in: 'query', required: false, description: 'Records per page', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
    cursor: { name: 'cursor', in: 'query', required: false, description: 'next_cursor of the previous page', schema: { type: 'string' } },
    idempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retried POST with the same key answers as the first one instead of creating a second record',
      schema: { type: 'string' },
    },
  }
  return { schemas, responses, parameters }
}

function fixedPaths(): Record<string, Json> {
  return {
    '/schema': {
      get: { operationId: 'get_schema', tags: ['Workspace'], summary: 'The entities and their fields', responses: { 200: json(ref('WorkspaceSchema'), 'The workspace schema'), ...problems('401', '429') } },
    },
    '/openapi.json': {
      get: { operationId: 'get_openapi', tags: ['Workspace'], summary: 'This document', responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1'), ...problems('401', '429') } },
    },
    '/views': {
      get: {
        operationId: 'list_views',
        tags: ['Workspace'],
        summary: 'The saved views the caller sees',
        description: 'Shared views and the caller\'s own personal ones (an API key sees the shared ones), in the order the app lists them. Fields by their API keys; conditions, sorts and columns on removed fields are left out. List records through one with GET /{entity}?view=<id>.',
        parameters: [{ name: 'entity', in: 'query', required: false, schema: { type: 'string' }, description: 'An entity\'s API key: only its views' }],
        responses: {
          200: json({
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'entity', 'name', 'shared', 'owner', 'filters', 'sort', 'columns', 'created_at'],
                  properties: {
                    id: { type: 'string', description: '`s.<id>` shared, `m.<member id>.<id>` personal' },
                    entity: { type: 'string' },
                    name: { type: 'string' },
                    shared: { type: 'boolean' },
                    owner: { type: ['string', 'null'], description: 'The member a personal view belongs to; null when shared' },
                    filters: {
                      type: 'array',
                      description: 'All must hold',
                      items: {
                        type: 'object',
                        required: ['field', 'op'],
                        properties: {
                          field: { type: 'string' },
                          op: { enum: ['equals', 'contains', 'empty', 'notEmpty', 'range', 'isMe'] },
                          value: { description: 'equals: a stored value (money { amount in minor units, currency } or a number in major units); contains: the text or list item' },
                          from: { type: ['number', 'string'], description: 'range, inclusive: a number, money in major units, YYYY-MM-DD, or an ISO instant' },
                          to: { type: ['number', 'string'] },
                        },
                      },
                    },
                    sort: { type: 'array', items: { type: 'object', required: ['field', 'desc'], properties: { field: { type: 'string' }, desc: { type: 'boolean' } } } },
                    columns: { type: 'array', items: { type: 'object', required: ['field'], properties: { field: { type: 'string' }, hidden: { type: 'boolean' }, width: { type: 'number' } } } },
                    created_at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          }, 'The views'),
          ...problems('400', '401', '429'),
        },
      },
    },
    '/search': {
      get: {
        operationId: 'search',
        tags: ['Workspace'],
        summary: 'Search every entity, as the app\'s search box does',
        description: 'Records of every entity whose name, email, phone (any format: `030 1234567` finds `+49301234567` in a German workspace), select, link (a contact by its company\'s name) or other text field matches `q`, case and accents ignored. Grouped by entity, the group with the best match first; within a group best first: the whole value (score 8), its start (6), a word\'s start (4), anywhere from 3 characters (2), +1 in a name field.',
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1 }, description: 'The text, email or phone number; only the first 200 characters are searched' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 }, description: 'Results per entity' },
        ],
        responses: {
          200: json({
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['entity', 'id', 'name', 'matched', 'score'],
                  properties: {
                    entity: { type: 'string', description: 'The entity\'s API key' },
                    id: { type: 'string' },
                    name: { type: 'string', description: 'The record\'s name' },
                    matched: {
                      type: 'object',
                      required: ['field', 'value'],
                      properties: { field: { type: 'string', description: 'The API key of the field that matched (for a link: the link field)' }, value: { type: 'string', description: 'Its value as stored (for a link: the linked record\'s name)' } },
                    },
                    score: { type: 'integer', minimum: 2, maximum: 9 },
                  },
                },
              },
            },
          }, 'The matching records in the order the app shows them'),
          ...problems('400', '401', '422', '429'),
        },
      },
    },
    '/api-keys': {
      get: {
        operationId: 'list_api_keys',
        tags: ['API keys'],
        summary: 'List API keys (admins; never the keys themselves)',
        responses: { 200: json({ type: 'object', properties: { data: { type: 'array', items: ref('ApiKey') } }, required: ['data'] }, 'Every API key, revoked ones included'), ...problems('401', '403', '429') },
      },
      post: {
        operationId: 'create_api_key',
        tags: ['API keys'],
        summary: 'Create an API key (admins); the key is in this answer only',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewApiKey') } } },
        responses: { 201: json(ref('CreatedApiKey'), 'The new key'), ...problems('400', '401', '403', '422', '429') },
      },
    },
    '/api-keys/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      delete: {
        operationId: 'revoke_api_key',
        tags: ['API keys'],
        summary: 'Revoke an API key (admins): refused from the next request on',
        responses: { 204: { description: 'Revoked' }, ...problems('401', '403', '404', '429') },
      },
    },
  }
}

/** The OpenAPI 3.1 document of the /api/v1 API for this workspace's schema. */
export function openApiDocument(schema: WorkspaceSchema, options: OpenApiOptions): Json {
  const entities = [...schema.entities].sort((a, b) => a.order - b.order)
  const names = schemaNames(entities)
  const components = fixedComponents()
  const leads = findEntity(schema, 'leads')
  Object.assign(components.schemas, integrationSchemas(leads ? liveFields(leads).map((f) => f.key) : []), reportSchemas(), ruleSchemas(), importSchemas())
  const dealLines = findEntity(schema, 'deal_lines')
  const paths: Record<string, Json> = {}
  for (const entity of entities) {
    const name = names.get(entity.id)!
    Object.assign(components.schemas, entitySchemas(entity, entities, name))
    let readName = name
    if (entity.key === 'deals' && dealLines) {
      readName = `${name}WithLines`
      components.schemas[readName] = dealWithLinesSchema(name, names.get(dealLines.id)!)
    } else if (entity.key === 'deals') {
      readName = `${name}WithDocuments`
      components.schemas[readName] = { allOf: [ref(name), { type: 'object', properties: { documents: DEAL_DOCUMENTS }, required: ['documents'] }] }
    }
    Object.assign(paths, entityPaths(entity, name, readName))
  }
  Object.assign(paths, fixedPaths(), integrationPaths(options.baseUrl), reportPaths(), rulePaths(), backupPaths(), importPaths(entities), exportPaths(entities, listParameters))
  Object.assign(paths, duplicatePaths(entities, names))
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kanso API',
      version: options.version ?? '1',
      description:
        'Records of this workspace, keyed by the fields’ API keys. Authenticate with `Authorization: Bearer <API key or member token>`; ' +
        'viewers may only read. Refusals are RFC 9457 problem+json with an `errors` list naming each bad field.',
    },
    servers: [{ url: `${options.baseUrl.replace(/\/+$/, '')}/api/v1` }],
    security: [{ bearer: [] }],
    tags: [...entities.map((e) => ({ name: e.label })), { name: 'Workspace' }, { name: 'API keys' }, { name: 'Forms' }, { name: 'Webhooks' }, { name: 'Calls' }, { name: 'Reports' }, { name: 'Automation' }, { name: 'Backups' }],
    paths,
    components: { ...components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (Settings → API) or a member token' } } },
  }
}
