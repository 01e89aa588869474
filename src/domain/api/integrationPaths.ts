import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_STATUSES } from '../calls/parseCallBody'
import { STAGE_KINDS } from '../pipelines/pipeline'
import { WEBHOOK_EVENTS } from '../webhooks/webhookEvents'

/*
 * The parts of the OpenAPI document that do not follow the workspace's entities: web-to-lead
 * forms (managed under /api/v1, posted to at /f/{formId} without a token), outgoing webhooks,
 * calls from a phone system and the member's event stream. Kept apart from openApiDocument so
 * each file reads as one thing; the shapes are those of server/api/formRoutes, callRoutes,
 * memberEvents, server/webhooks/webhookRoutes and server/forms/handleWebForms.
 */

type Json = Record<string, unknown>

/** Component names these parts use, which an entity's schema must not take. */
export const INTEGRATION_SCHEMA_NAMES = [
  'Form', 'FormField', 'NewForm', 'PublicForm', 'Webhook', 'NewWebhook', 'CreatedWebhook', 'WebhookDelivery',
  'Call', 'LoggedCall', 'RingingCall', 'CallerRecord', 'Pipeline', 'DealTotals', 'StockWarning', 'DealDocument',
] as const

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))
const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } })
const dateTime = { type: 'string', format: 'date-time' }
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' }

export function integrationSchemas(leadFieldKeys: readonly string[]): Record<string, Json> {
  const leadKey: Json = leadFieldKeys.length ? { type: 'string', enum: [...leadFieldKeys], description: 'A lead field’s API key' } : { type: 'string', description: 'A lead field’s API key' }
  return {
    FormField: {
      type: 'object',
      properties: { key: leadKey, label: { type: 'string', description: 'Shown on the form; empty: the field’s own label' }, required: { type: 'boolean' } },
      required: ['key', 'label', 'required'],
    },
    Form: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        fields: { type: 'array', items: ref('FormField') },
        consent_text: { type: 'string' },
        thank_you_text: { type: 'string' },
        redirect_url: { type: ['string', 'null'], format: 'uri' },
        dedupe: { type: 'boolean', description: 'A post whose email or phone matches a contact becomes a note on that contact' },
        created_at: dateTime,
        url: { type: 'string', format: 'uri', description: 'The hosted page, also the action of a plain HTML form' },
      },
      required: ['id', 'name', 'fields', 'consent_text', 'thank_you_text', 'redirect_url', 'dedupe', 'created_at', 'url'],
    },
    NewForm: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1 },
        fields: {
          type: 'array',
          minItems: 1,
          items: { oneOf: [leadKey, { type: 'object', properties: { key: leadKey, label: { type: 'string' }, required: { type: 'boolean' } }, required: ['key'] }] },
        },
        consent_text: { type: 'string' },
        thank_you_text: { type: 'string' },
        redirect_url: { type: 'string', format: 'uri', description: 'http(s): where a browser goes (303) after a post' },
        dedupe: { type: 'boolean', default: true },
      },
      required: ['name', 'fields'],
      additionalProperties: false,
    },
    PublicForm: {
      type: 'object',
      description: 'What the embed script draws a form from',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        fields: {
          type: 'array',
          items: { type: 'object', properties: { key: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, options: { type: 'array', items: { type: 'string' } } }, required: ['key', 'label', 'type', 'required'] },
        },
        consent_text: { type: 'string' },
        thank_you_text: { type: 'string' },
        redirect_url: { type: ['string', 'null'] },
        honeypot: { type: 'string', description: 'The name of the hidden input a person leaves empty' },
        served_at: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } }, required: ['name', 'value'], description: 'A signed token to post back: posts within 3 s of it are refused' },
        page_url: { type: 'string', description: 'The name of the input carrying the page the form is on' },
      },
      required: ['id', 'name', 'fields', 'honeypot', 'served_at'],
    },
    Webhook: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        url: { type: 'string', format: 'uri' },
        events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENTS] } },
        entity: { type: ['string', 'null'], description: 'An entity’s key; null: every entity' },
        created_at: dateTime,
        created_by: { type: 'string' },
      },
      required: ['id', 'url', 'events', 'entity', 'created_at', 'created_by'],
    },
    NewWebhook: {
      type: 'object',
      properties: {
        url: { type: 'string', format: 'uri', description: 'Any http(s) URL, the team’s internal hosts included' },
        events: { type: 'array', minItems: 1, items: { type: 'string', enum: [...WEBHOOK_EVENTS] } },
        entity: { type: ['string', 'null'], description: 'Only this entity’s records (its key); left out: every entity' },
      },
      required: ['url', 'events'],
      additionalProperties: false,
    },
    CreatedWebhook: {
      allOf: [ref('Webhook'), { type: 'object', properties: { secret: { type: 'string', description: 'Signs the deliveries (Kanso-Signature); shown only in this answer' } }, required: ['secret'] }],
    },
    WebhookDelivery: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        webhook_id: { type: 'string' },
        event: { type: 'string', enum: [...WEBHOOK_EVENTS] },
        status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
        attempts: { type: 'integer', minimum: 0 },
        created_at: dateTime,
        last_attempt_at: nullableDateTime,
        next_attempt_at: nullableDateTime,
        response_status: { type: ['integer', 'null'], description: 'The last attempt’s HTTP status; null when it got no answer' },
        response_body: { type: ['string', 'null'] },
        error: { type: ['string', 'null'] },
      },
      required: ['id', 'webhook_id', 'event', 'status', 'attempts', 'created_at'],
    },
    Call: {
      type: 'object',
      description: 'A call as a phone system reports it. The other party (`from` inbound, `to` outbound) must be a phone number of the workspace country or with its country code.',
      properties: {
        direction: { type: 'string', enum: [...CALL_DIRECTIONS] },
        status: { type: 'string', enum: [...CALL_STATUSES], default: 'completed', description: '`ringing` writes nothing and pops up in the member’s open Kanso' },
        from: { type: 'string' },
        to: { type: 'string' },
        started_at: { type: 'string', format: 'date-time', description: 'Default: now' },
        duration_s: { type: ['number', 'string'], minimum: 0, maximum: 86400 },
        outcome: { type: 'string', enum: [...CALL_OUTCOMES] },
        recording_url: { type: 'string', format: 'uri' },
        member: { type: 'string', description: 'A member’s id, email or extension; required when ringing' },
        notes: { type: 'string', maxLength: 10000 },
        create_lead: { type: 'boolean', description: 'Whether an unknown number becomes a lead (default: the workspace setting)' },
      },
      required: ['direction'],
      additionalProperties: false,
    },
    LoggedCall: {
      type: 'object',
      properties: {
        activity: { type: 'object', description: 'The call activity, as GET /activities/{id} shows it' },
        linked: {
          type: 'object',
          properties: { contact: { type: ['string', 'null'] }, company: { type: ['string', 'null'] }, lead: { type: ['string', 'null'] }, created_lead: { type: 'boolean' } },
          required: ['contact', 'company', 'lead', 'created_lead'],
        },
      },
      required: ['activity', 'linked'],
    },
    CallerRecord: {
      type: 'object',
      properties: { entity: { type: 'string' }, id: { type: 'string' }, title: { type: 'string' }, company: { type: ['string', 'null'] } },
      required: ['entity', 'id', 'title', 'company'],
    },
    RingingCall: {
      type: 'object',
      properties: {
        status: { const: 'ringing' },
        member: { type: 'string' },
        record: { oneOf: [ref('CallerRecord'), { type: 'null' }], description: 'Whose number it is; null when nobody’s' },
        delivered: { type: 'integer', minimum: 0, description: 'How many of the member’s open sessions got it' },
      },
      required: ['status', 'member', 'record', 'delivered'],
    },
    Pipeline: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        stages: {
          type: 'array',
          description: 'In order',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, name: { type: 'string' }, probability: { type: 'number', minimum: 0, maximum: 100 }, kind: { type: 'string', enum: [...STAGE_KINDS] } },
            required: ['id', 'name', 'probability', 'kind'],
          },
        },
      },
      required: ['id', 'name', 'stages'],
    },
    DealTotals: {
      type: 'object',
      description: 'The deal’s lines added up, in major units',
      properties: { subtotal: { type: 'number' }, discount: { type: 'number' }, tax: { type: 'number' }, total: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
      required: ['subtotal', 'discount', 'tax', 'total', 'currency'],
    },
    StockWarning: {
      type: 'object',
      properties: { line: { type: 'string' }, product: { type: 'string' }, asked: { type: 'number' }, stock: { type: 'number' }, message: { type: 'string' } },
      required: ['line', 'product', 'asked', 'stock', 'message'],
    },
    DealDocument: {
      type: 'object',
      description: 'A quote or an invoice issued of the deal: a view of its lines and totals, numbered once by the relay',
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', enum: ['quote', 'invoice'] },
        number: { type: ['string', 'null'], pattern: '^(Q|INV)-\\d{4}-\\d{4,}$', description: '`Q-2026-0001`, `INV-2026-0001`: one sequence per kind and year, never reused; null while pending (issued offline in the app, numbered when it reaches the relay)' },
        issued_at: dateTime,
        issued_by: { type: 'string', description: 'The member or API key that issued it' },
        valid_until: { type: ['string', 'null'], format: 'date', description: 'A quote’s validity date, an invoice’s due date' },
        terms: { type: 'string', maxLength: 4000 },
        numbered_at: nullableDateTime,
      },
      required: ['id', 'kind', 'number', 'issued_at', 'issued_by', 'valid_until', 'terms', 'numbered_at'],
    },
  }
}

/** The paths under /api/v1, and the public form at /f/{formId} on the relay's own base URL. */
export function integrationPaths(baseUrl: string): Record<string, Json> {
  const formId = { name: 'formId', in: 'path', required: true, schema: { type: 'string' } }
  return {
    '/forms': {
      get: {
        operationId: 'list_forms',
        tags: ['Forms'],
        summary: 'List web-to-lead forms (admins)',
        responses: { 200: json({ type: 'object', properties: { data: { type: 'array', items: ref('Form') } }, required: ['data'] }, 'Every live form'), ...problems('401', '403', '429') },
      },
      post: {
        operationId: 'create_form',
        tags: ['Forms'],
        summary: 'Create a web-to-lead form (admins)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewForm') } } },
        responses: { 201: json(ref('Form'), 'The new form, with its id and hosted URL'), ...problems('400', '401', '403', '422', '429', '503') },
      },
    },
    '/webhooks': {
      get: {
        operationId: 'list_webhooks',
        tags: ['Webhooks'],
        summary: 'List webhooks (admins; never their secrets)',
        responses: { 200: json({ type: 'object', properties: { data: { type: 'array', items: ref('Webhook') } }, required: ['data'] }, 'Every webhook'), ...problems('401', '403', '429') },
      },
      post: {
        operationId: 'create_webhook',
        tags: ['Webhooks'],
        summary: 'Subscribe a URL to record events (admins); the signing secret is in this answer only',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewWebhook') } } },
        responses: { 201: json(ref('CreatedWebhook'), 'The new webhook and its secret'), ...problems('400', '401', '403', '422', '429') },
      },
    },
    '/webhooks/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'get_webhook',
        tags: ['Webhooks'],
        summary: 'Get a webhook (admins)',
        responses: { 200: json(ref('Webhook'), 'The webhook'), ...problems('401', '403', '404', '429') },
      },
      delete: {
        operationId: 'delete_webhook',
        tags: ['Webhooks'],
        summary: 'Unsubscribe (admins): nothing more is delivered to it',
        responses: { 204: { description: 'Deleted' }, ...problems('401', '403', '404', '429') },
      },
    },
    '/webhook-deliveries': {
      get: {
        operationId: 'list_webhook_deliveries',
        tags: ['Webhooks'],
        summary: 'The latest deliveries, newest first (admins)',
        parameters: [
          { name: 'webhook', in: 'query', required: false, description: 'Only this webhook’s deliveries', schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        ],
        responses: { 200: json({ type: 'object', properties: { data: { type: 'array', items: ref('WebhookDelivery') } }, required: ['data'] }, 'Deliveries with their status and last answer'), ...problems('401', '403', '429') },
      },
    },
    '/calls': {
      post: {
        operationId: 'report_call',
        tags: ['Calls'],
        summary: 'A phone system reports a call (editors and admins)',
        description: 'A completed call becomes a call activity linked by phone number to the contact (and its company), company or lead; an unknown number becomes a lead unless turned off. A ringing call writes nothing and pops up in the named member’s open Kanso.',
        parameters: [{ name: 'create_lead', in: 'query', required: false, description: 'Whether an unknown number becomes a lead', schema: { type: 'string', enum: ['true', 'false'] } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('Call') } } },
        responses: {
          201: json(ref('LoggedCall'), 'The call activity and what it is linked to'),
          202: json(ref('RingingCall'), 'A ringing call, sent to the member’s open sessions'),
          ...problems('400', '401', '403', '409', '422', '429', '503'),
        },
      },
    },
    '/leads/{id}/convert': {
      parameters: [{ name: 'id', in: 'path', required: true, description: 'The lead’s id', schema: { type: 'string' } }],
      post: {
        operationId: 'convert_lead',
        tags: ['Leads'],
        summary: 'Convert a lead in one step (editors and admins): creates or links its contact and company, creates its deal, marks it Converted',
        description: 'Without a body: the contact matching the lead’s email or phone (else a new one from its name, email and phone), the company matching its company name (else a new one, else the contact’s), and a deal in the first pipeline’s first stage. The lead gets status Converted and its converted_contact, converted_company and converted_deal links. A retry with the same Idempotency-Key answers the same ids.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } }],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: {
            contact: { type: 'string', description: 'An existing contact’s id, or "new"' },
            company: { type: ['string', 'null'], description: 'An existing company’s id, "new", or null for none' },
            deal: { oneOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, properties: { title: { type: 'string' }, pipeline: { type: 'string', description: 'Id or name' }, stage: { type: 'string', description: 'Id or name' } } }] },
          } } } },
        },
        responses: {
          200: json({ type: 'object', required: ['converted_to', 'created', 'matches', 'lead'], properties: {
            converted_to: { type: 'object', required: ['contact', 'company', 'deal'], properties: { contact: { type: 'string' }, company: { type: ['string', 'null'] }, deal: { type: ['string', 'null'] } } },
            created: { type: 'object', properties: { contact: { type: 'boolean' }, company: { type: 'boolean' }, deal: { type: 'boolean' } } },
            matches: { type: 'object', description: 'Existing records offered: { contacts: [{ id, by: email|phone|name }], companies: [...] }' },
            lead: { type: 'object', description: 'The lead as GET /leads/{id} answers it' },
          } }, 'What the lead became'),
          ...problems('400', '401', '403', '404', '409', '422', '429', '503'),
        },
      },
    },
    '/deals/{id}/documents': {
      parameters: [{ name: 'id', in: 'path', required: true, description: 'The deal’s id', schema: { type: 'string' } }],
      post: {
        operationId: 'issue_deal_document',
        tags: ['Deals'],
        summary: 'Issue a quote or an invoice of the deal (editors and admins), numbered at once',
        description: 'The document is a view of the deal (its lines, totals, terms and validity), not a copy. Its number is the next of its kind and year (`Q-2026-0001`, `INV-2026-0001`), assigned once and never reused. Without `terms` or `valid_until` the workspace details’ defaults apply (quote terms and validity days, invoice terms and due days); `valid_until: null` sets no date. GET /deals/{id} lists the deal’s documents. A retry with the same Idempotency-Key answers the same document and number.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required: ['kind'], properties: {
            kind: { type: 'string', enum: ['quote', 'invoice'] },
            terms: { type: 'string', maxLength: 4000 },
            valid_until: { type: ['string', 'null'], format: 'date' },
          } } } },
        },
        responses: { 201: json(ref('DealDocument'), 'The issued document with its number'), ...problems('400', '401', '403', '404', '422', '429', '503') },
      },
    },
    '/events': {
      get: {
        operationId: 'member_events',
        tags: ['Calls'],
        summary: 'The member’s event stream (member tokens only): `call.ringing` events',
        responses: {
          200: {
            description: 'Server-sent events, e.g. `event: call.ringing` with `data: {"direction","phone","phone_display","started_at","record"}`',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...problems('401', '403', '429'),
        },
      },
    },
    '/f/{formId}': {
      servers: [{ url: baseUrl.replace(/\/+$/, ''), description: 'The relay itself: forms are public, outside /api/v1' }],
      parameters: [formId],
      get: {
        operationId: 'get_public_form',
        tags: ['Forms'],
        summary: 'The hosted form page (HTML), or with `Accept: application/json` what the embed draws it from',
        security: [],
        responses: {
          200: { description: 'The form', content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: ref('PublicForm') } } },
          404: { description: 'No such form', content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: ref('Problem') } } },
        },
      },
      post: {
        operationId: 'post_public_form',
        tags: ['Forms'],
        summary: 'Send a form: a plain HTML form post, multipart, or JSON with CORS; becomes a lead',
        security: [],
        requestBody: {
          required: true,
          description: 'Inputs named by the form’s lead field keys, plus optional utm_* / referrer, the honeypot and the served-at token',
          content: {
            'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } },
            'multipart/form-data': { schema: { type: 'object', additionalProperties: { type: 'string' } } },
            'application/json': { schema: { type: 'object', additionalProperties: true } },
          },
        },
        responses: {
          200: { description: 'The thank-you page (HTML posts)', content: { 'text/html': { schema: { type: 'string' } } } },
          201: json({ type: 'object', properties: { ok: { const: true } }, required: ['ok'] }, 'Received (JSON posts)'),
          303: { description: 'Sent to the form’s redirect URL (HTML posts)', headers: { Location: { schema: { type: 'string', format: 'uri' } } } },
          404: { description: 'No such form', content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: ref('Problem') } } },
          413: { description: 'Over 64 KB', content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: ref('Problem') } } },
          422: { description: 'Refused inputs (the page again with the reasons, or problem+json)', content: { 'text/html': { schema: { type: 'string' } }, 'application/problem+json': { schema: ref('Problem') } } },
          429: { $ref: '#/components/responses/Problem429' },
          503: { $ref: '#/components/responses/Problem503' },
        },
      },
    },
  }
}
