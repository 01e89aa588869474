import type { IncomingMessage, ServerResponse } from 'node:http'
import { openApiDocument } from '../../src/domain/api/openApiDocument'
import { readStoredSchema } from '../http/readStoredSchema'
import { sendJson } from '../http/httpError'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'

/** GET /api/v1/openapi.json: written from the schema as stored now, custom fields included. */
export function sendOpenApiDocument(req: IncomingMessage, res: ServerResponse, context: { storage: RelayStorage; publicUrl(): string }): void {
  if (req.method !== 'GET') throw problem(405, `${req.method} is not allowed here; use GET`, undefined, { Allow: 'GET' })
  sendJson(res, 200, openApiDocument(readStoredSchema(context.storage), { baseUrl: context.publicUrl() }))
}
