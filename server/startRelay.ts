import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type * as Y from 'yjs'
import { seedDefaultSchema } from '../src/crdt/schemaDoc'
import { ensureFirstAdmin, type FirstAdmin } from './auth/ensureFirstAdmin'
import { dataFileIn, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_PORT, defaultPublicUrl, PROJECT_ROOT } from './config'
import { createRequestHandler } from './http/createRequestHandler'
import { createRecordApi, type RecordApi } from './api/recordApi'
import { createWebhooks, type WebhookOptions, type Webhooks } from './webhooks/webhooks'
import { makeDealAmountFollower } from './deals/dealAmountFollower'
import { makeDocumentNumberFollower } from './deals/documentNumberFollower'
import { makeEntryTimeBound } from './edits/entryTimeBound'
import { makeRelayAutomation, type RelayAutomation } from './automation/relayAutomation'
import type { Rule } from '../src/domain/rules/rule'
import { RULE_TEMPLATES } from '../src/domain/rules/ruleTemplates'
import { createRowSnapshots, type RowSnapshots } from './snapshots/rowSnapshots'
import { startLoopLagMonitor } from './http/loopLagMonitor'
import { INLINE_SCRIPT_HASHES_FILE, readInlineScriptHashes } from './http/contentSecurityPolicy'
import { mountVite } from './http/mountVite'
import { createStaticHandler } from './http/serveStatic'
import type { RelayHooks } from './relayHooks'
import { consoleLogger, type RelayLogger } from './relayLogger'
import type { RelayStorage } from './storage/relayStorage'
import { createSqliteStorage } from './storage/sqliteStorage'
import { addDefaultFieldsToStoredSchema, seedSchemaDocument } from './rooms/seedSchemaDocument'
import type { RateLimits } from './rooms/rateLimiter'
import type { FormRateLimits } from './forms/formRateLimit'
import type { RateLimit } from './rooms/tokenBucket'
import { createSyncServer, type SyncServer, type SyncServerOptions } from './rooms/syncServer'
import { startBackupSchedule, type BackupSchedule, type BackupScheduleOptions } from './backup/backupSchedule'
import { markRelayRunning } from './backup/relayLock'
import { BackupError, takeBackup, type TakenBackup } from './backup/takeBackup'
import { loadWorkspaceEpoch } from './backup/workspaceEpoch'

export interface StartRelayOptions {
  /** Default 8787; 0 picks a free port (see `Relay.port`). */
  port?: number
  /** Interface to listen on; default: all interfaces. */
  host?: string
  /** SQLite lives in `<dataDir>/kanso.sqlite`; default ./data. Ignored when `storage` is given. */
  dataDir?: string
  /** Use this storage instead of SQLite in dataDir; the caller keeps ownership (close() leaves it open). */
  storage?: RelayStorage
  /** KANSO_ADMIN_TOKEN: an admin named "Admin" with this token is ensured. */
  adminToken?: string
  /** Base for links; default http://localhost:<port>. */
  publicUrl?: string
  /** Websocket message cap (KANSO_MAX_MESSAGE_BYTES); default 64 MiB. */
  maxMessageBytes?: number
  /** How fast connections and members may send (KANSO_RATE_LIMIT_*); default DEFAULT_RATE_LIMITS; null: no limit. */
  rateLimits?: RateLimits | null
  /** /api/v1 requests per API key or member (KANSO_API_RATE_PER_S / KANSO_API_BURST); default DEFAULT_API_RATE_LIMIT; null: no limit. */
  apiRateLimit?: RateLimit | null
  /** Web forms' posts per IP address and per form (DEFAULT_FORM_RATE_LIMITS); null: no limit. */
  formRateLimits?: FormRateLimits | null
  /** The built app; default <project>/dist. null: serve no app. */
  distDir?: string | null
  /** Mount Vite (middleware mode, HMR) instead of serving dist/. */
  dev?: boolean
  /** Where log lines go; default console. */
  logger?: RelayLogger
  hooks?: RelayHooks
  /** Outgoing webhooks' retry delays, timeout and requests in flight (server/webhooks); defaults for production. */
  webhooks?: WebhookOptions
  /** Rules added, switched off, to the `automation` document when it lacks them (by id); default RULE_TEMPLATES. */
  ruleTemplates?: readonly Rule[]
  /** KANSO_RULES_INTERVAL_MS: the time-based rules' pass runs at start and this often; default 60000; null: only when asked (`automation.timed.run()`). */
  rulesIntervalMs?: number | null
  /** Seeds an empty `schema` document at start; default seedDefaultSchema; null: no seeding. */
  seedSchema?: ((doc: Y.Doc) => void) | null
  /**
   * Measure this process's event-loop delay and serve it at GET /debug/loop-lag (benchmarks).
   * Default: on when KANSO_DEBUG_LOOP_LAG=1 is in the environment, else off.
   */
  debugLoopLag?: boolean
  /** Scheduled backups (KANSO_BACKUP_DIR, KANSO_BACKUP_EVERY_HOURS, KANSO_BACKUP_KEEP); default none. SQLite only. */
  backups?: BackupScheduleOptions | null
  /** Lists with fewer live records find their duplicates on the event loop, bigger ones in a process of their own (default DUPLICATES_INLINE_ROWS); 0: always the process (tests). */
  duplicatesInlineBelowRows?: number
  /** How long the duplicates process keeps a copy no search asked for (default DUPLICATES_KEEP_MS); it ends with its last copy. */
  duplicatesKeepMs?: number
  /** Tuning, mostly for tests. */
  sync?: Pick<
    SyncServerOptions,
    'ackDelayMs' | 'ackIntervalMs' | 'compactAfterRows' | 'roomIdleMs' | 'roomCacheBytes' | 'workers' | 'startWorkers' | 'mainThreadLimits' | 'pingIntervalMs' | 'revocationPollMs'
  >
}

export interface Relay {
  port: number
  /** http://<host>:<port>, for requests from this machine. */
  url: string
  /** ws://<host>:<port>/sync — the y-websocket server URL (the document name is appended). */
  syncUrl: string
  /** Base of invite links. */
  publicUrl: string
  /** The SQLite file, or null when `storage` was passed in. */
  dataFile: string | null
  storage: RelayStorage
  sync: SyncServer
  /** Automation (issue 16): the automation document's copy, the rules of the relay's writes, the time-based pass. */
  automation: RelayAutomation
  /** The workspace's epoch (server/backup/workspaceEpoch.ts): a restore changes it. */
  epoch: string
  /** Writes a backup of the workspace to `target` in a worker thread (server/backup); SQLite only. */
  backup(target: string): Promise<TakenBackup>
  /** The scheduled backups, when `backups` was given. */
  backups: BackupSchedule | null
  firstAdmin: FirstAdmin
  /** Whether the `schema` document was seeded by this start. */
  seeded: boolean
  /** dist/index.html exists (always true in dev). */
  appBuilt: boolean
  /** Closes connections (1001), the HTTP server, Vite and the storage it opened. */
  close(): Promise<void>
}

function localHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

/** Starts the relay: storage, first admin, schema seed, HTTP + websocket on one port. */
export async function startRelay(options: StartRelayOptions = {}): Promise<Relay> {
  const logger = options.logger ?? consoleLogger
  const ownsStorage = !options.storage
  const dataFile = options.storage ? null : dataFileIn(options.dataDir ?? './data')
  // WAL checkpoints run in a document worker, not in the event loop (see SyncServer).
  const storage = options.storage ?? createSqliteStorage(dataFile as string, { autoCheckpoint: false })
  let httpServer: Server | null = null
  let sync: SyncServer | null = null
  let snapshots: RowSnapshots | null = null
  let records: RecordApi | null = null
  let webhooks: Webhooks | null = null
  let automation: RelayAutomation | null = null
  let backups: BackupSchedule | null = null
  const unmark = dataFile ? markRelayRunning(dataFile) : () => {}
  try {
    const epoch = loadWorkspaceEpoch(storage.file)
    const firstAdmin = ensureFirstAdmin(storage, options.adminToken)
    const seed = options.seedSchema === undefined ? seedDefaultSchema : options.seedSchema
    const seeded = seed ? seedSchemaDocument(storage, seed) : false
    if (seed) {
      const added = addDefaultFieldsToStoredSchema(storage)
      if (added.length > 0) logger.info(`schema: added the default entities and fields ${added.join(', ')}`)
    }

    const distDir = options.distDir === undefined ? join(PROJECT_ROOT, 'dist') : options.distDir
    const dev = options.dev ?? false
    const appBuilt = dev || (distDir !== null && existsSync(join(distDir, 'index.html')))
    let publicUrl = options.publicUrl ?? ''
    let devMiddlewares: Awaited<ReturnType<typeof mountVite>> | null = null
    // read once: after rebuilding dist/ restart the relay, or the new boot script's hash is not allowed
    const inlineScripts = !dev && appBuilt && distDir !== null ? readInlineScriptHashes(distDir) : null
    if (!dev && appBuilt && !inlineScripts) {
      logger.warn(`${distDir}/${INLINE_SCRIPT_HASHES_FILE} is missing (an older build): the CSP allows no inline script, so the app opens without its boot read; rebuild with \`npm run build\``)
    }

    const recordApi = (records = createRecordApi(storage, logger, { duplicatesInlineBelowRows: options.duplicatesInlineBelowRows, duplicatesKeepMs: options.duplicatesKeepMs }))
    const outgoing = (webhooks = createWebhooks(storage, logger, options.webhooks))
    const dealAmounts = makeDealAmountFollower(storage, recordApi.stores, logger)
    const documentNumbers = makeDocumentNumberFollower(storage, recordApi.stores, logger)
    const entryTimes = makeEntryTimeBound(recordApi.stores, logger)
    const rules = (automation = makeRelayAutomation({ storage, stores: recordApi.stores, logger, templates: options.ruleTemplates ?? RULE_TEMPLATES, webhooks: outgoing, intervalMs: options.rulesIntervalMs }))
    recordApi.rules = rules.rules
    sync = createSyncServer({
      storage,
      logger,
      // the API's copies of the entity documents follow every stored update; deals' amounts follow their lines, issued documents get numbers, entry times ahead of the relay's clock are bounded
      hooks: recordApi.hooks(rules.hooks(dealAmounts.hooks(documentNumbers.hooks(entryTimes.hooks(outgoing.hooks(options.hooks)))))),
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      rateLimits: options.rateLimits,
      ignoreOtherUpgrades: dev,
      workspaceEpoch: epoch,
      ...options.sync,
    })
    const syncServer = sync
    dealAmounts.start(syncServer)
    documentNumbers.start(syncServer)
    entryTimes.start(syncServer)
    rules.start(syncServer)
    // one backup at a time: a second asked meanwhile waits for the first
    let backupQueue: Promise<unknown> = Promise.resolve()
    const backup = (target: string): Promise<TakenBackup> => {
      const file = storage.file
      if (!file) return Promise.reject(new BackupError('backups need SQLite storage (a data directory)'))
      const taken = backupQueue.then(() => takeBackup(file, target, () => syncServer.settledWrites()))
      backupQueue = taken.catch(() => {})
      return taken
    }
    const rowSnapshots = (snapshots = createRowSnapshots({ storage, logger }))
    const loopLag = (options.debugLoopLag ?? process.env.KANSO_DEBUG_LOOP_LAG === '1') ? startLoopLagMonitor() : null
    const server = createServer(
      createRequestHandler({
        storage,
        sync: syncServer,
        snapshots: rowSnapshots,
        logger,
        publicUrl: () => publicUrl,
        staticFiles: !dev && distDir !== null ? createStaticHandler(distDir) : null,
        devMiddlewares: () => devMiddlewares?.middlewares ?? null,
        loopLag,
        contentSecurity: { scriptHashes: inlineScripts?.scriptSrc ?? [], dev },
        records: recordApi,
        webhooks: outgoing,
        backups: { take: backup, epoch, plain: { storage, stores: recordApi.stores } },
        apiRateLimit: options.apiRateLimit,
        formRateLimits: options.formRateLimits,
      }),
    )
    httpServer = server
    // In --dev, upgrades outside /sync/ are left to Vite's HMR listener.
    server.on('upgrade', (request, socket, head) => syncServer.handleUpgrade(request, socket, head))
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      else socket.destroy()
      // Peers hanging up mid-request are routine; only malformed requests are worth a line.
      if (error.code !== 'ECONNRESET') logger.warn(`bad HTTP request: ${error.message}`)
    })
    if (dev) devMiddlewares = await mountVite(server, PROJECT_ROOT)

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? DEFAULT_PORT, options.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const port = (server.address() as AddressInfo).port
    // after the sync server replayed its update log: what a killed relay stored is all there
    outgoing.start()
    rules.startTimed()
    // First visits paint these while they download the documents (read in a worker thread).
    rowSnapshots.warmAll()
    if (options.backups && storage.file) backups = startBackupSchedule(options.backups, backup, logger)
    publicUrl ||= defaultPublicUrl(port)
    const url = `http://${localHost(options.host)}:${port}`

    let closing: Promise<void> | null = null
    return {
      port,
      url,
      syncUrl: `${url.replace(/^http/, 'ws')}/sync`,
      publicUrl,
      dataFile,
      storage,
      sync: syncServer,
      automation: rules,
      epoch,
      backup,
      backups,
      firstAdmin,
      seeded,
      appBuilt,
      close() {
        closing ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()))
          await backups?.stop()
          // the history queued so far, while its conflict marks can still be written
          await recordApi.history.idle()
          await rules.close()
          await syncServer.close()
          await rowSnapshots.close()
          await recordApi.close()
          await outgoing.close()
          server.closeAllConnections()
          await closed
          await devMiddlewares?.close()
          loopLag?.stop()
          if (ownsStorage) storage.close()
          unmark()
        })()
        return closing
      },
    }
  } catch (error) {
    await automation?.close()
    await sync?.close()
    await snapshots?.close()
    await records?.close()
    await webhooks?.close()
    httpServer?.close()
    if (ownsStorage) storage.close()
    unmark()
    throw error
  }
}
