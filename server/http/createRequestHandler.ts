import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connect } from 'vite'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import type { RowSnapshots } from '../snapshots/rowSnapshots'
import { logSafe, logSafePath } from '../logSafe'
import { ApiRateLimit, DEFAULT_API_RATE_LIMIT } from '../api/apiRateLimit'
import { API_V1_PREFIX, handleApiV1 } from '../api/handleApiV1'
import type { RateLimit } from '../rooms/tokenBucket'
import { SYNC_PATH_PREFIX, type SyncServer } from '../rooms/syncServer'
import { handleApi } from './apiRoutes'
import { handleWebForms, isWebFormPath, makeWebFormsContext } from '../forms/handleWebForms'
import { loadRelaySecret } from '../forms/formSecret'
import { DEFAULT_FORM_RATE_LIMITS, type FormRateLimits } from '../forms/formRateLimit'
import type { RecordApi } from '../api/recordApi'
import type { Webhooks } from '../webhooks/webhooks'
import type { BackupRoutesContext } from '../backup/backupRoutes'
import { decodePathSegment } from './decodePathSegment'
import { healthz } from './healthz'
import { HttpError, sendError, sendJson } from './httpError'
import type { LoopLagMonitor } from './loopLagMonitor'
import type { StaticHandler } from './serveStatic'
import { makeSecurityHeaders } from './securityHeaders'

export interface RequestHandlerOptions {
  storage: RelayStorage
  sync: SyncServer
  /** Row snapshots for first visits (GET /api/snapshots/<entity>). */
  snapshots: RowSnapshots
  logger: RelayLogger
  publicUrl(): string
  /** The built app (production) … */
  staticFiles: StaticHandler | null
  /** … or Vite's dev middlewares (--dev), set once Vite is up. */
  devMiddlewares?: () => Connect.Server | null
  /** Serves GET /debug/loop-lag (`?reset=1` starts a new measurement); off (404) when null. */
  loopLag?: LoopLagMonitor | null
  /** Hashes of the built index.html's inline scripts for the CSP (`--dev`: a looser policy); default none. */
  contentSecurity?: { scriptHashes: readonly string[]; dev: boolean }
  /** /api/v1 requests per API key or member; default DEFAULT_API_RATE_LIMIT; null: no limit. */
  apiRateLimit?: RateLimit | null
  /** REST API v1 records (server/api/recordApi); without it /api/v1 has no record routes and /f/ no forms. */
  records?: RecordApi
  /** Outgoing webhooks (server/webhooks); without it /api/v1 has no webhook routes. */
  webhooks?: Webhooks
  /** Backups (server/backup): GET /api/v1/backup and /api/v1/workspace/epoch; without it no such routes. */
  backups?: BackupRoutesContext
  /** Web forms' posts per IP address and per form (DEFAULT_FORM_RATE_LIMITS); null: no limit. */
  formRateLimits?: FormRateLimits | null
}

/** Routes: /healthz, /api/v1/*, web forms (/f/*, /embed/form.js), /api/*, /sync/* (websocket only), then the app. */
export function createRequestHandler(options: RequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { storage, logger } = options
  const setSecurityHeaders = makeSecurityHeaders(options.contentSecurity ?? { scriptHashes: [], dev: false })
  const apiV1 = { storage, publicUrl: options.publicUrl, rateLimit: new ApiRateLimit(options.apiRateLimit === undefined ? DEFAULT_API_RATE_LIMIT : options.apiRateLimit), records: options.records?.routes(options.sync), webhooks: options.webhooks && { storage, webhooks: options.webhooks }, backups: options.backups,
    rules: options.records && { storage, copy: () => options.records?.rules?.copy ?? null, webhookSecret: () => options.webhooks?.ruleSecret ?? null } }

  const webForms = options.records && makeWebFormsContext({
    storage,
    sync: options.sync,
    stores: options.records.stores,
    rules: () => options.records?.rules ?? null,
    secret: loadRelaySecret(storage),
    rateLimits: options.formRateLimits === undefined ? DEFAULT_FORM_RATE_LIMITS : options.formRateLimits,
  })

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = requestPath(req)
    // every route below may decode its path: one that cannot be decoded is refused here, alike
    decodePathSegment(pathname)
    if (pathname === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'use GET')
      await healthz(res, options.sync.storageHealth)
      return
    }
    if (pathname === '/debug/loop-lag' && options.loopLag) {
      if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET')
      sendJson(res, 200, options.loopLag.snapshot())
      if (new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('reset') === '1') options.loopLag.reset()
      return
    }
    if (pathname === API_V1_PREFIX || pathname.startsWith(`${API_V1_PREFIX}/`)) {
      await handleApiV1(req, res, pathname, apiV1)
      return
    }
    if (webForms && isWebFormPath(pathname)) {
      await handleWebForms(req, res, pathname, webForms)
      return
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      await handleApi(req, res, pathname, { storage, sync: options.sync, snapshots: options.snapshots, publicUrl: options.publicUrl })
      return
    }
    if (pathname === '/sync' || pathname.startsWith(SYNC_PATH_PREFIX)) {
      throw new HttpError(426, 'upgrade_required', 'connect with a websocket: ws(s)://<host>/sync/<document>?token=<token>')
    }
    const vite = options.devMiddlewares?.()
    if (vite) {
      vite(req, res, () => sendJson(res, 404, { error: { code: 'not_found', message: `nothing at ${pathname}` } }))
      return
    }
    if (options.staticFiles) {
      await options.staticFiles(req, res, pathname)
      return
    }
    throw new HttpError(404, 'not_found', `nothing at ${pathname}`)
  }

  return (req, res) => {
    setSecurityHeaders(res, options.publicUrl())
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        logger.warn(`response to ${describeRequest(req)} failed midway: ${(error as Error).message}`)
        res.destroy()
        return
      }
      if (error instanceof HttpError) {
        sendError(res, error)
        return
      }
      logger.error(`${describeRequest(req)} failed: ${(error as Error).stack ?? String(error)}`)
      sendError(res, new HttpError(500, 'internal_error', 'the relay failed to answer; see its log'))
    })
  }
}

function requestPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://relay.invalid').pathname
  } catch {
    throw new HttpError(400, 'malformed_path', 'the request target is not a valid path')
  }
}

/** How a request appears in the log: escaped, without its query string (tokens travel there). */
function describeRequest(req: IncomingMessage): string {
  return `${logSafe(req.method ?? '')} "${logSafePath(req.url)}"`
}
