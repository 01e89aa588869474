/*
 * The backups' part of the OpenAPI document (issue 18), as server/backup/backupRoutes.ts answers
 * them. Kept apart from openApiDocument like reportPaths.
 */

type Json = Record<string, unknown>

const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))

export function backupPaths(): Record<string, Json> {
  return {
    '/backup': {
      get: {
        operationId: 'download_backup',
        tags: ['Backups'],
        summary: 'The whole workspace as one backup file (admins)',
        description:
          'Every document (schema, automation, entity-*), the members and API keys (hashed), webhook subscriptions with their secrets, document numbers, the record history and the time-based rules already fired, as one SQLite file (format 1: its `kanso_backup` table says so). Restore it on any relay with `npx kanso restore FILE` while that relay is stopped. Left out: row caches, idempotency answers and webhook deliveries still queued. Written off the event loop; the answer starts once the file is complete. Keep it safe: it holds webhook secrets.',
        responses: {
          200: {
            description: 'The backup file',
            headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="kanso-backup-<UTC time>.sqlite"' } },
            content: { 'application/vnd.sqlite3': { schema: { type: 'string', format: 'binary' } } },
          },
          ...problems('401', '403', '429'),
        },
      },
    },
    '/export.zip': {
      get: {
        operationId: 'download_plain_export',
        tags: ['Backups'],
        summary: 'The plain export: one CSV per entity plus the schema as JSON (admins)',
        description:
          'A ZIP (stored, CRC-32 checked) holding `schema.json` and `<entity key>.csv` for every entity: its live records, one per line (RFC 4180, UTF-8 with a byte-order mark), an `id` column, each field by its label as people read it (money, dates, members and choices formatted for `locale`, dates in the workspace\'s time zone; links as the linked records\' names with their ids in a `<label> (id)` column; numbers as numbers) and `Created at`. Text beginning with = + - @, a tab or a carriage return gets a leading apostrophe against spreadsheet formula injection. Needs no Kanso to read.',
        parameters: [{ name: 'locale', in: 'query', schema: { type: 'string', default: 'en-US' }, description: 'BCP 47 tag for numbers, money and dates' }],
        responses: {
          200: { description: 'The ZIP', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
          ...problems('400', '401', '403', '429'),
        },
      },
    },
    '/workspace/epoch': {
      get: {
        operationId: 'get_workspace_epoch',
        tags: ['Backups'],
        summary: 'The workspace\'s epoch: it changes when a backup is restored',
        description:
          'A sync client sends the epoch it last synced with as `?epoch=` on `/sync/<document>`; the relay closes a connection from another epoch with 4409 (`workspace restored: epoch <new>`) before syncing, so a copy older or newer than the restored workspace never merges into it. The client then drops its local copy and loads the workspace again (the app sets its unsent cell edits again on the records the restored workspace has).',
        responses: {
          200: { description: 'The epoch', content: { 'application/json': { schema: { type: 'object', required: ['epoch'], additionalProperties: false, properties: { epoch: { type: 'string' } } } } } },
          ...problems('401', '429'),
        },
      },
    },
  }
}
