/*
 * The automation rules' part of the OpenAPI document (issue 16), as server/api/ruleRoutes.ts
 * answers them. Kept apart from openApiDocument like integrationPaths and reportPaths.
 */

type Json = Record<string, unknown>

export const RULE_SCHEMA_NAMES = ['Rule', 'RuleInput', 'RulePatch', 'RuleRuns'] as const

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))
const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } })

const duration: Json = {
  type: 'object', required: ['amount', 'unit'],
  properties: { amount: { type: 'integer', minimum: 0 }, unit: { enum: ['minutes', 'hours', 'days'] } },
}
const assignee: Json = {
  oneOf: [
    { type: 'object', required: ['kind'], properties: { kind: { const: 'owner' } }, description: 'The record\'s owner' },
    { type: 'object', required: ['kind', 'member'], properties: { kind: { const: 'member' }, member: { type: 'string', description: 'A member id' } } },
    { type: 'object', required: ['kind', 'members'], properties: { kind: { const: 'roundRobin' }, members: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Member ids, in turn by the rule\'s firing count' } } },
  ],
}
const trigger: Json = {
  oneOf: [
    { type: 'object', required: ['kind', 'entity'], properties: { kind: { const: 'created' }, entity: { type: 'string', description: 'An entity\'s API key' } }, description: 'A record is created' },
    { type: 'object', required: ['kind', 'entity', 'field'], properties: { kind: { const: 'fieldChanged' }, entity: { type: 'string' }, field: { type: 'string', description: 'A field\'s API key' }, to: { description: 'Only a change to this value' } }, description: 'A field changes (optionally to a value)' },
    { type: 'object', required: ['kind', 'stage'], properties: { kind: { const: 'stageEntered' }, stage: { type: 'string', description: 'A stage id (GET /schema lists the pipelines)' }, pipeline: { type: 'string' } }, description: 'A deal enters a stage' },
    { type: 'object', required: ['kind'], properties: { kind: { const: 'activityCompleted' }, activityType: { type: 'string', description: 'call, meeting, task, …; absent: any' } }, description: 'An activity is marked done' },
    { type: 'object', required: ['kind', 'entity', 'field', 'days'], properties: { kind: { const: 'dateOffset' }, entity: { type: 'string' }, field: { type: 'string', description: 'A date or date-time field' }, days: { type: 'integer', description: 'Negative: that many days before the date; positive: after' } }, description: 'Time-based (the relay, every minute): a date field is N days away from today, in the workspace\'s time zone' },
    { type: 'object', required: ['kind', 'entity', 'days'], properties: { kind: { const: 'noActivity' }, entity: { type: 'string' }, days: { type: 'integer', minimum: 0 } }, description: 'Time-based: no related activity created or completed for N days' },
  ],
}
const condition: Json = {
  type: 'object', required: ['field', 'op'],
  properties: {
    field: { type: 'string', description: 'A field of the triggering record, by API key' },
    op: { enum: ['equals', 'notEquals', 'contains', 'greaterThan', 'lessThan', 'empty', 'notEmpty', 'inList', 'ownerIs'] },
    value: { description: 'Compared as the field stores it; inList: a list; ownerIs: a member id' },
  },
}
const action: Json = {
  oneOf: [
    { type: 'object', required: ['kind', 'activityType', 'subject', 'assignee', 'dueIn'], properties: { kind: { const: 'createActivity' }, activityType: { type: 'string' }, subject: { type: 'string' }, assignee, dueIn: duration } },
    { type: 'object', required: ['kind', 'field', 'value'], properties: { kind: { const: 'setField' }, field: { type: 'string' }, value: {} } },
    { type: 'object', required: ['kind', 'assignee'], properties: { kind: { const: 'assignOwner' }, assignee } },
    { type: 'object', required: ['kind', 'stage'], properties: { kind: { const: 'moveStage' }, stage: { type: 'string', description: 'A stage id' } } },
    { type: 'object', required: ['kind', 'member', 'message'], properties: { kind: { const: 'notify' }, member: { type: 'string', description: 'A member id, or "owner"' }, message: { type: 'string' } } },
    { type: 'object', required: ['kind', 'url'], properties: { kind: { const: 'webhook' }, url: { type: 'string', format: 'uri', description: 'POSTed once by the relay, signed (Kanso-Signature with GET /rules\' webhook_secret), event rule.webhook' } } },
  ],
}
const writable: Json = {
  name: { type: 'string', maxLength: 80 },
  enabled: { type: 'boolean' },
  trigger,
  conditions: { type: 'array', items: condition, maxItems: 20, description: 'All must hold' },
  actions: { type: 'array', items: action, minItems: 1, maxItems: 10 },
}

export function ruleSchemas(): Record<string, Json> {
  return {
    RuleRuns: {
      type: 'object', required: ['count', 'last_fired_at', 'last_record', 'errors'],
      description: 'Every writer\'s log added up: each member\'s app and the relay count their own firings',
      properties: {
        count: { type: 'integer', minimum: 0 },
        last_fired_at: { type: ['string', 'null'], format: 'date-time' },
        last_record: { type: ['object', 'null'], properties: { entity: { type: 'string' }, id: { type: 'string' } } },
        errors: { type: 'array', maxItems: 5, description: 'Newest first', items: { type: 'object', required: ['at', 'message', 'record_id'], properties: { at: { type: 'string', format: 'date-time' }, message: { type: 'string' }, record_id: { type: ['string', 'null'] } } } },
      },
    },
    Rule: {
      type: 'object',
      required: ['id', 'name', 'enabled', 'trigger', 'conditions', 'actions', 'created_at', 'created_by', 'updated_at', 'runs'],
      properties: {
        id: { type: 'string', description: 'Fixed for the templates (call-new-leads, …)' },
        ...writable,
        created_at: { type: 'string', format: 'date-time' },
        created_by: { type: 'string' },
        updated_at: { type: ['string', 'null'], format: 'date-time' },
        runs: ref('RuleRuns'),
      },
    },
    RuleInput: {
      type: 'object', required: ['name', 'trigger', 'actions'], additionalProperties: false,
      properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Default: a new random id' }, ...writable, enabled: { type: 'boolean', default: true } },
    },
    RulePatch: { type: 'object', additionalProperties: false, properties: writable, description: 'The properties to change; the others stay' },
  }
}

export function rulePaths(): Record<string, Json> {
  const id: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
  return {
    '/rules': {
      get: {
        operationId: 'list_rules', tags: ['Automation'], summary: 'The rules with their run summaries (admins)',
        responses: {
          200: json({ type: 'object', required: ['data', 'webhook_secret'], properties: { data: { type: 'array', items: ref('Rule') }, webhook_secret: { type: ['string', 'null'], description: 'What rule webhook calls are signed with' } } }, 'Every rule not deleted, oldest first'),
          ...problems('401', '403', '429'),
        },
      },
      post: {
        operationId: 'create_rule', tags: ['Automation'], summary: 'Create a rule (admins)',
        description: 'Entities and fields by API key. Refusals are 422 with an `errors` item per problem, its `field` the path (`trigger.field`, `actions[0].dueIn.amount`).',
        requestBody: { required: true, content: { 'application/json': { schema: ref('RuleInput') } } },
        responses: { 201: json(ref('Rule'), 'The rule'), ...problems('400', '401', '403', '409', '422', '429') },
      },
    },
    '/rules/{id}': {
      parameters: [id],
      get: { operationId: 'get_rule', tags: ['Automation'], summary: 'One rule (admins)', responses: { 200: json(ref('Rule'), 'The rule'), ...problems('401', '403', '404', '429') } },
      patch: {
        operationId: 'update_rule', tags: ['Automation'], summary: 'Change some of a rule\'s properties (admins); `{"enabled": true}` switches it on',
        requestBody: { required: true, content: { 'application/json': { schema: ref('RulePatch') } } },
        responses: { 200: json(ref('Rule'), 'The rule as changed'), ...problems('400', '401', '403', '404', '422', '429') },
      },
      delete: { operationId: 'delete_rule', tags: ['Automation'], summary: 'Delete a rule (admins): it stops, and stays deleted for apps that were offline', responses: { 204: { description: 'Deleted' }, ...problems('401', '403', '404', '429') } },
    },
  }
}
