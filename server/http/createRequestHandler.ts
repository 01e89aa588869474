import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connect } from 'vite'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import type { RowSnapshots } from '../snapshots/rowSnapshots'
import { SYNC_PATH_PREFIX, type SyncServer } from '../rooms/syncServer'
import { handleApi } from './apiRoutes'
import { healthz } from './healthz'
import { HttpError, sendError, sendJson } from './httpError'
import type { LoopLagMonitor } from './loopLagMonitor'
import type { StaticHandler } from './serveStatic'

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
}

/** Routes: /healthz, /api/*, /sync/* (websocket only), then the app. */
export function createRequestHandler(options: RequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { storage, logger } = options

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://relay.invalid').pathname
    if (pathname === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'use GET')
      healthz(res, storage)
      return
    }
    if (pathname === '/debug/loop-lag' && options.loopLag) {
      if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET')
      sendJson(res, 200, options.loopLag.snapshot())
      if (new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('reset') === '1') options.loopLag.reset()
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
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        logger.warn(`response to ${req.method} ${req.url} failed midway: ${(error as Error).message}`)
        res.destroy()
        return
      }
      if (error instanceof HttpError) {
        sendError(res, error)
        return
      }
      logger.error(`${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`)
      sendError(res, new HttpError(500, 'internal_error', 'the relay failed to answer; see its log'))
    })
  }
}
