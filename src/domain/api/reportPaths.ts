import { READY_REPORTS } from '../reports/readyReports'
import { RELATIVE_PERIODS } from '../relativePeriod'

/*
 * The reports' part of the OpenAPI document (issue 17): the funnel and the reports run by id, as
 * server/api/reportRoutes.ts answers them. Kept apart from openApiDocument like integrationPaths.
 */

type Json = Record<string, unknown>

export const REPORT_SCHEMA_NAMES = ['Funnel', 'FunnelStage', 'ReportRows', 'ReportSummary'] as const

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))
const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } })
const ratio = (description: string): Json => ({ type: ['number', 'null'], minimum: 0, maximum: 1, description })
const day = (description: string): Json => ({ type: 'string', format: 'date', description })

const FUNNEL_PARAMETERS: Json[] = [
  { name: 'pipeline', in: 'query', schema: { type: 'string' }, description: 'A pipeline id (GET /schema lists them); default the first pipeline' },
  { name: 'from', in: 'query', schema: day('First day of the period, in the workspace\'s time zone (Settings); default open'), description: 'YYYY-MM-DD' },
  { name: 'to', in: 'query', schema: day('Last day of the period, inclusive; default open'), description: 'YYYY-MM-DD' },
  { name: 'basis', in: 'query', schema: { type: 'string', enum: ['created', 'closed'], default: 'created' }, description: 'Count deals created in the period, or closed (won or lost) in it — by the time of the stage change that closed them' },
  { name: 'owner', in: 'query', schema: { type: 'string' }, description: 'A member id: only deals they own' },
  { name: 'source', in: 'query', schema: { type: 'string' }, description: 'A source option: only deals from it' },
]

export function reportSchemas(): Record<string, Json> {
  return {
    FunnelStage: {
      type: 'object',
      required: ['id', 'name', 'count', 'amount', 'conversion_from_previous', 'conversion_from_first', 'avg_days_in_stage'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', description: 'The stage id' },
        name: { type: 'string' },
        count: { type: 'integer', minimum: 0, description: 'Deals that reached this stage: are in it or went past it (read from the stage history)' },
        amount: { type: 'number', description: 'Their amount in the report currency (`currency`), major units' },
        conversion_from_previous: ratio('count ÷ the previous stage\'s count; null for the first stage or after a stage nobody reached'),
        conversion_from_first: ratio('count ÷ the first stage\'s count'),
        avg_days_in_stage: { type: ['number', 'null'], minimum: 0, description: 'Average days a deal spent in the stage before it moved on, from the stage changes\' own times; null when none has left it' },
      },
    },
    Funnel: {
      type: 'object',
      required: ['pipeline', 'basis', 'from', 'to', 'currency', 'stages', 'win_rate', 'deals', 'won', 'lost', 'drop_off', 'in_stage', 'lost_stages', 'without_rate'],
      properties: {
        pipeline: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        basis: { type: 'string', enum: ['created', 'closed'] },
        from: { type: ['string', 'null'], format: 'date' },
        to: { type: ['string', 'null'], format: 'date' },
        currency: { type: 'string', description: 'The report currency amounts are converted into, at the workspace\'s rates' },
        stages: { type: 'array', items: ref('FunnelStage'), description: 'The pipeline\'s open and won stages, in order' },
        win_rate: ratio('won ÷ (won + lost) of the deals counted; null when none is closed'),
        deals: { type: 'integer', minimum: 0 },
        won: { type: 'integer', minimum: 0 },
        lost: { type: 'integer', minimum: 0 },
        drop_off: { type: 'array', items: { type: 'object', required: ['from', 'to', 'count'], properties: { from: { type: 'string' }, to: { type: 'string' }, count: { type: 'integer' } } }, description: 'Deals that reached a stage but not the next' },
        in_stage: { type: 'array', items: { type: 'object', required: ['id', 'count'], properties: { id: { type: 'string' }, count: { type: 'integer' } } }, description: 'Deals in each stage now' },
        lost_stages: { type: 'array', items: { type: 'object', required: ['id', 'name', 'count', 'amount'], properties: { id: { type: 'string' }, name: { type: 'string' }, count: { type: 'integer' }, amount: { type: 'number' } } } },
        without_rate: { type: 'array', items: { type: 'string' }, description: 'Currencies without a rate in Settings: their amounts are left out' },
      },
    },
    ReportRows: {
      type: 'object',
      required: ['id', 'name', 'chart', 'columns', 'rows', 'currency', 'without_rate', 'period'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        chart: { type: 'string', enum: ['funnel', 'bar', 'stackedBar', 'line', 'doughnut', 'table'] },
        columns: {
          type: 'array',
          items: { type: 'object', required: ['key', 'label', 'kind'], properties: { key: { type: 'string' }, label: { type: 'string' }, kind: { type: 'string', enum: ['group', 'measure'] }, bucket: { type: 'string', enum: ['day', 'week', 'month', 'quarter', 'year'] } } },
        },
        rows: {
          type: 'array',
          items: { type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } },
          description: 'One object per group: each group column\'s key (an id, an option, or a bucket: 2026-03-05, the week\'s first day, 2026-03, 2026-Q1, 2026) with `<key>_label`, each measure\'s value (money in major units; a rate 0–1), `currency` when money is per currency',
        },
        currency: { type: ['string', 'null'] },
        without_rate: { type: 'array', items: { type: 'string' } },
        period: { type: ['object', 'null'], description: `The days covered; the reports name their periods relative to today (${RELATIVE_PERIODS.join(', ')})` },
      },
    },
    ReportSummary: {
      type: 'object', required: ['id', 'name', 'chart', 'ready_made'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, chart: { type: 'string' }, ready_made: { type: 'boolean' } },
    },
  }
}

export function reportPaths(): Record<string, Json> {
  const ids = READY_REPORTS.map((r) => r.id)
  const funnels = READY_REPORTS.filter((r) => r.kind === 'funnel').map((r) => r.id)
  return {
    '/reports': {
      get: {
        operationId: 'list_reports',
        tags: ['Reports'],
        summary: 'The reports one may run: the ready-made ones, then the saved reports the caller sees (ready_made false)',
        responses: { 200: json({ type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('ReportSummary') } } }, 'Every report'), ...problems('401', '429') },
      },
    },
    '/reports/funnel': {
      get: {
        operationId: 'funnel',
        tags: ['Reports'],
        summary: 'The funnel of a pipeline: count and amount per stage, conversions, time in stage, win rate',
        parameters: FUNNEL_PARAMETERS,
        responses: { 200: json(ref('Funnel'), 'The funnel'), ...problems('400', '401', '404', '429') },
      },
    },
    '/reports/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', examples: ids }, description: `A report id: the ready-made ones are ${ids.join(', ')}; a saved report's is s.<random> (shared) or m.<member id>.<random> (personal, its owner only; another member's is a 404)` }],
      get: {
        operationId: 'run_report',
        tags: ['Reports'],
        summary: 'Run a report: its rows',
        description: `${funnels.join(' and ')} answer the funnel and take its parameters; the others take none.`,
        parameters: FUNNEL_PARAMETERS,
        responses: { 200: json({ oneOf: [ref('ReportRows'), ref('Funnel')] }, 'The report\'s rows'), ...problems('400', '401', '404', '409', '429') },
      },
    },
  }
}
