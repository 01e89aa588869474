import type { EntityDef } from '../schema'
import { EXPORT_FORMATS } from '../export/writeExport'

/*
 * The export's part of the OpenAPI document (issue 18), as server/api/exportRoute.ts answers it:
 * GET /{entity}/export for every entity, with the list's filters. Kept apart from openApiDocument like importPaths.
 */

type Json = Record<string, unknown>

const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))

/** `listParameters`: GET /{entity}'s parameters for an entity (openApiDocument); `limit` and `cursor` are left out: an export has no pages. */
export function exportPaths(entities: readonly EntityDef[], listParameters: (entity: EntityDef) => Json[]): Record<string, Json> {
  const paged = new Set(['#/components/parameters/limit', '#/components/parameters/cursor'])
  return Object.fromEntries(entities.map((entity) => [`/${entity.key}/export`, {
    get: {
      operationId: `export_${entity.key}`,
      tags: [entity.label],
      summary: `Export ${entity.label.toLowerCase()} as a CSV or XLSX file`,
      description:
        'Every record the list\'s parameters select (a saved `view`, field filters, ranges, `q`, `sort`), in that order, with no cap. '
        + 'Columns: `fields` in its order; else the view\'s visible columns in the view\'s order, then the fields it does not name; else every field. '
        + 'Each field is a column headed by its label; a link is the linked records\' names and, in a column "<label> (id)", their ids. '
        + 'Values read as the grid shows them in the locale of `Accept-Language` (money, dates, options, members by name), date-times in UTC, phone numbers in +E.164; numbers stay numbers '
        + '(numeric cells in XLSX, amounts with a currency number format; unquoted digits in CSV), and a text cell beginning with =, +, -, @, a tab or a carriage return '
        + 'is prefixed with an apostrophe in CSV (formula injection) and stored as a string in XLSX. CSV is UTF-8 with a byte-order mark, comma-separated, CRLF. '
        + 'A file exported here imports back (POST /' + entity.key + '/import, same Accept-Language) as the same records. Anyone who may list the entity may export it.',
      parameters: [
        { name: 'format', in: 'query', required: false, schema: { enum: [...EXPORT_FORMATS], default: 'csv' } },
        { name: 'fields', in: 'query', required: false, description: 'Field API keys, comma-separated: the columns, in this order', schema: { type: 'string' }, example: 'title,amount,company' },
        ...listParameters(entity).filter((p) => !paged.has(p.$ref as string)),
      ],
      responses: {
        200: {
          description: 'The file, streamed; `X-Record-Count` holds the number of records',
          headers: { 'X-Record-Count': { schema: { type: 'integer', minimum: 0 } }, 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="<entity>-<view>-<date>.<format>"' } },
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
          },
        },
        ...problems('400', '401', '404', '429', '503'),
      },
    },
  }]))
}
