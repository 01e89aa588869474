import type { EntityDef } from '../schema'
import { DEDUPE_BY, ON_DUPLICATE } from '../import/planImportRow'

/*
 * The import's part of the OpenAPI document (issue 18), as server/api/importRoute.ts answers it:
 * POST /{entity}/import for every entity. Kept apart from openApiDocument like reportPaths.
 */

type Json = Record<string, unknown>

export const IMPORT_SCHEMA_NAMES = ['ImportResult'] as const
/** The largest import body (server/api/importRoute.ts MAX_IMPORT_BYTES), in MB. */
export const IMPORT_MAX_MB = 200

const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))
const problemOf = (description: string): Json => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } })

export function importSchemas(): Record<string, Json> {
  return {
    ImportResult: {
      type: 'object',
      required: ['created', 'updated', 'skipped', 'rejected'],
      additionalProperties: false,
      properties: {
        created: { type: 'integer', minimum: 0 },
        updated: { type: 'integer', minimum: 0, description: 'Duplicates written over the record they match (on_duplicate=update)' },
        skipped: { type: 'integer', minimum: 0, description: 'Duplicates left out (on_duplicate=skip)' },
        rejected: {
          type: 'array',
          description: 'Refused rows, in file order, each with every problem; a refused row changes nothing',
          items: {
            type: 'object', required: ['row', 'errors'],
            properties: {
              row: { type: 'integer', minimum: 2, description: 'The row as a spreadsheet numbers it: the header is row 1, empty rows count' },
              errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', description: 'The field\'s API key' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  }
}

export function importPaths(entities: readonly EntityDef[]): Record<string, Json> {
  return Object.fromEntries(entities.map((entity) => [`/${entity.key}/import`, {
    post: {
      operationId: `import_${entity.key}`,
      tags: [entity.label],
      summary: `Import ${entity.label.toLowerCase()} from a CSV or XLSX file (editors and admins)`,
      description:
        'The body is the file. CSV: encoding (UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1251, Shift_JIS) and delimiter (comma, semicolon, tab, pipe) are detected; RFC 4180 quoting, cells may hold line breaks. XLSX: the first sheet. '
        + 'The first row names the columns; each is matched to a field by its label or API key (case, spaces, punctuation and accents ignored) unless `mapping` says otherwise. '
        + 'Cells are read as the grid reads typed text (`1 234,50 €`, `27.11.2026`, phone numbers, options, members and linked records by name) in the locale of `Accept-Language`. '
        + 'A row with any refused cell is left out whole and listed in `rejected`; the others are stored whole, with the rules they trigger, once the whole file has arrived. Empty rows are skipped. '
        + `At most ${IMPORT_MAX_MB} MB.`,
      parameters: [
        { name: 'mapping', in: 'query', required: false, description: 'JSON object: column label → field API key, or null to leave the column out, e.g. `{"E-Mail":"email","Notes":null}`', schema: { type: 'string' } },
        { name: 'dedupe', in: 'query', required: false, description: 'Find duplicates — of live records and of earlier rows of the file — by email, normalised phone number or name (case and spacing ignored)', schema: { enum: [...DEDUPE_BY] } },
        { name: 'on_duplicate', in: 'query', required: false, description: 'What a duplicate does: skip it, update the record it matches with its filled cells, or create it anyway', schema: { enum: [...ON_DUPLICATE], default: 'skip' } },
      ],
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string', format: 'binary' } },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
        },
      },
      responses: {
        200: { description: 'What the import did', content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportResult' } } } },
        ...problems('400', '401', '403', '404', '429', '503'),
        413: problemOf(`The file is over ${IMPORT_MAX_MB} MB: nothing was written`),
        415: problemOf('The body is neither text/csv nor an XLSX file'),
      },
    },
  }]))
}
