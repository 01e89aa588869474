import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { DOC_NAME_PATTERN, SCHEMA_DOC } from '../../src/crdt/docNames'
import { authenticateToken } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_NOT_FOUND, CLOSE_RATE_LIMITED, CLOSE_UNAUTHORIZED, CLOSE_WORKSPACE_RESTORED } from '../closeCodes'
import type { RelayHooks } from '../relayHooks'
import { logSafe, logSafePath } from '../logSafe'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { CompactionQueue } from './compactionQueue'
import { inlineDocumentWriter } from '../storage/documentWriter'
import { sqliteDocumentWriter } from '../storage/sqliteDocumentWriter'
import { StorageHealth } from '../storage/storageHealth'
import { discardInput } from './discardInput'
import { DocWorkerPool } from './docWorkerPool'
import { KnownDocuments } from './knownDocuments'
import { fitCloseReason } from './fitCloseReason'
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rateLimiter'
import { runHook, SyncConnection } from './syncConnection'
import { DEFAULT_MAIN_THREAD_LIMITS, SyncRoom, type MainThreadLimits } from './syncRoom'
import { UpdateWriter } from './updateWriter'
import { writeServerUpdate, type UpdateOrigin } from './writeServerUpdate'

/** The ping sweep's tick: each tick pings the connections of one slice of the ping interval. */
const PING_TICK_MS = 1000

/** Websocket path prefix: `ws://host/sync/<document name>?token=…`. */
export const SYNC_PATH_PREFIX = '/sync/'

export interface SyncServerOptions {
  storage: RelayStorage
  logger: RelayLogger
  hooks?: RelayHooks
  /** ws `maxPayload`: bigger messages close the connection with 1009. */
  maxMessageBytes: number
  /** How fast each connection and each member may send (default DEFAULT_RATE_LIMITS); null: no limit. */
  rateLimits?: RateLimits | null
  /** Leave upgrades outside /sync/ to other listeners (Vite's HMR in --dev); else answer 404. */
  ignoreOtherUpgrades?: boolean
  /** Acknowledge a client's stored updates this long after the first (default 40 ms)… */
  ackDelayMs?: number
  /** …and at most once per this interval per connection (default 1000 ms). */
  ackIntervalMs?: number
  /** Compact a document once its log has more rows than this (default 500; see SyncRoom.needsCompaction). */
  compactAfterRows?: number
  /** How long a room with no connections stays in memory. */
  roomIdleMs?: number
  /**
   * Memory budget of the rooms' documents (bytes). Past it, idle rooms are evicted at once,
   * least recently used first; rooms with connections always stay. Default 256 MiB.
   */
  roomCacheBytes?: number
  /**
   * With SQLite: ask a document worker to checkpoint the write-ahead log after about this many
   * bytes were written (the writer thread never checkpoints, so commits stay short); default 4 MiB.
   */
  checkpointEveryBytes?: number
  /** Worker threads for big documents; default 2. */
  workers?: number
  /**
   * Start the document workers and the writer thread now rather than on first use (a
   * long-running server); default false.
   */
  startWorkers?: boolean
  /** Sizes above which work leaves the main thread; tests lower them to exercise the workers. */
  mainThreadLimits?: Partial<MainThreadLimits>
  /** Each connection is pinged this often (a slice of the connections each second) and dropped when it did not answer the previous ping; default 30 s. */
  pingIntervalMs?: number
  /** How often to look for members revoked by another process (the CLI). */
  revocationPollMs?: number
  /** The workspace's epoch (server/backup/workspaceEpoch.ts): a connection naming another `?epoch=` is closed with CLOSE_WORKSPACE_RESTORED. */
  workspaceEpoch?: string
}

export interface SyncServer {
  /** Handles an HTTP upgrade; false when it is not ours (only with ignoreOtherUpgrades). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean
  /** Closes every open connection of the member with CLOSE_UNAUTHORIZED; returns how many. */
  closeMemberConnections(memberId: string): number
  /** Closes the connections of members revoked in storage (by anyone). */
  sweepRevoked(): void
  connectionCount(): number
  /** Rooms currently in memory. */
  openRooms(): string[]
  /** The room of a document, if it is in memory (tests, diagnostics). */
  room(name: string): SyncRoom | undefined
  /** Bytes of documents the rooms hold in memory. */
  cachedBytes(): number
  /** Changes the rooms' memory budget (see SyncServerOptions.roomCacheBytes) and applies it now. */
  setRoomCacheBytes(bytes: number): void
  /** Storage health as the document writer's recent writes tell it (GET /healthz). */
  readonly storageHealth: StorageHealth
  /** Stores an update the relay made (an API write) like a connection's and sends it to every client (see writeServerUpdate). */
  writeServerUpdate(documentName: string, update: Uint8Array, member: Member, origin: UpdateOrigin): Promise<void>
  /** Resolves once every document write asked for so far is in storage itself (a backup reads it there). */
  settledWrites(): Promise<void>
  close(): Promise<void>
}

function toBytes(data: RawData): Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * The websocket side of the relay: authenticates each connection, puts it in its document's
 * room and speaks the stock y-websocket protocol there.
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  const { storage, logger } = options
  const knownDocuments = new KnownDocuments({ storage, logger })
  const ownHooks = options.hooks ?? {}
  const hooks: RelayHooks = {
    ...ownHooks,
    afterStoreUpdate(context) {
      // a new entity's document may be waited for (KnownDocuments.allows)
      if (context.documentName === SCHEMA_DOC) knownDocuments.schemaChanged()
      ownHooks.afterStoreUpdate?.(context)
    },
  }
  const limits: MainThreadLimits = { ...DEFAULT_MAIN_THREAD_LIMITS, ...options.mainThreadLimits }
  const pool = new DocWorkerPool(options.workers ?? 2, logger)
  if (options.startWorkers) pool.start()
  // The writer thread leaves WAL checkpoints to a document worker (see sqliteStorage), which runs
  // them alongside its commits: ask for one after every few megabytes written.
  const checkpointEveryBytes = options.checkpointEveryBytes ?? 4 * 1024 * 1024
  let uncheckpointedBytes = 0
  let checkpointing = false
  const noteWritten = (bytes: number, transactions: number) => {
    // A transaction writes at least a table page and an index page (4 KiB each).
    uncheckpointedBytes += bytes + transactions * 8192
    if (uncheckpointedBytes < checkpointEveryBytes || checkpointing || !storage.file) return
    uncheckpointedBytes = 0
    checkpointing = true
    pool
      .run({ kind: 'checkpoint', file: storage.file })
      .catch((error: unknown) => logger.warn(`WAL checkpoint failed: ${(error as Error).message}`))
      .finally(() => {
        checkpointing = false
      })
  }
  // One writer for all documents: with SQLite its own thread, so commits never block this loop.
  // Its transactions are what writes WAL pages: one per fold of the update log (about one a second
  // while edits stream in), not one per written batch of updates — counted per batch, every
  // socket read's batch added 8 KiB and a relay at 1000 edits/s checkpointed twice a second.
  const documentWriter = storage.file
    ? sqliteDocumentWriter(storage, logger, { startThread: options.startWorkers ?? false, onTransaction: () => noteWritten(0, 1) })
    : inlineDocumentWriter(storage)
  const writer = new UpdateWriter(documentWriter, logger, (bytes) => noteWritten(bytes, 0))
  const storageHealth = new StorageHealth(documentWriter)
  const connectionOptions = { logger, hooks, ackDelayMs: options.ackDelayMs ?? 40, ackIntervalMs: options.ackIntervalMs ?? 1000, writer, pool, limits }
  const roomOptions = { storage, writer: documentWriter, logger, pool, limits, compactAfterRows: options.compactAfterRows ?? 500, compactions: new CompactionQueue() }
  const roomIdleMs = options.roomIdleMs ?? 30_000
  let roomCacheBytes = options.roomCacheBytes ?? 256 * 1024 * 1024
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
  const rooms = new Map<string, SyncRoom>()
  const idleTimers = new Map<string, NodeJS.Timeout>()
  /** Evicted rooms still compacting: a new room for the same document loads after that. */
  const disposals = new Map<string, Promise<void>>()
  const connections = new Set<SyncConnection>()
  const rateLimiter = new RateLimiter(options.rateLimits === undefined ? DEFAULT_RATE_LIMITS : options.rateLimits)
  let closing = false

  const authenticate = (context: { token: string | null; documentName: string; request: IncomingMessage }) =>
    hooks.onAuthenticate ? hooks.onAuthenticate(context) : authenticateToken(storage, context.token)

  /** The document's room, loading it if it is not in memory; counts the caller as a user. */
  function useRoom(name: string): SyncRoom {
    const idle = idleTimers.get(name)
    if (idle) {
      clearTimeout(idle)
      idleTimers.delete(name)
    }
    let room = rooms.get(name)
    if (!room) {
      const opened = SyncRoom.open(name, roomOptions, disposals.get(name))
      room = opened
      rooms.set(name, opened)
      opened.ready.then(
        () => enforceBudget(),
        () => {
          // The next connection tries again.
          if (rooms.get(name) === opened) rooms.delete(name)
        },
      )
    }
    room.users++
    return room
  }

  function releaseRoom(room: SyncRoom): void {
    room.users--
    if (room.users > 0 || idleTimers.has(room.name) || closing) return
    room.lastUsed = Date.now()
    const timer = setTimeout(() => {
      idleTimers.delete(room.name)
      evict(room)
    }, roomIdleMs)
    timer.unref()
    idleTimers.set(room.name, timer)
    enforceBudget()
  }

  function cachedBytes(): number {
    let total = 0
    for (const room of rooms.values()) total += room.memoryBytes()
    return total
  }

  /** Evicts idle rooms, least recently used first, while the rooms hold more than the budget. */
  function enforceBudget(): void {
    let total = cachedBytes()
    if (total <= roomCacheBytes) return
    const idle = [...rooms.values()].filter((room) => room.users === 0 && room.isLoaded).sort((a, b) => a.lastUsed - b.lastUsed)
    for (const room of idle) {
      if (total <= roomCacheBytes) break
      total -= room.memoryBytes()
      evict(room)
    }
  }

  /** Drops an idle room from memory; its log is compacted first (in the background). */
  function evict(room: SyncRoom): void {
    if (room.users > 0 || rooms.get(room.name) !== room) return
    const timer = idleTimers.get(room.name)
    if (timer) clearTimeout(timer)
    idleTimers.delete(room.name)
    rooms.delete(room.name)
    const previous = disposals.get(room.name)
    const disposal = (async () => {
      await previous
      await writer.settled()
      await room.dispose()
    })().finally(() => {
      if (disposals.get(room.name) === disposal) disposals.delete(room.name)
    })
    disposals.set(room.name, disposal)
  }

  async function accept(socket: WebSocket, transport: Duplex, request: IncomingMessage, url: URL): Promise<void> {
    // Messages may arrive while we authenticate and load the room: keep them in order.
    const queued: Array<[Uint8Array, boolean]> = []
    let connection: SyncConnection | null = null
    let closedEarly = false
    // Messages pass the rate limits first; over them, the socket is not read (TCP slows the sender).
    const gate = rateLimiter.open<[Uint8Array, boolean]>(
      socket,
      ([bytes, isBinary]) => {
        if (connection) connection.handleMessage(bytes, isBinary)
        else queued.push([bytes, isBinary])
      },
      (reason) => {
        logger.warn(`closing ${connection ? connection.describe() : `"${logSafePath(url.pathname)}"`} with ${CLOSE_RATE_LIMITED}: ${reason}`)
        if (connection) connection.close(CLOSE_RATE_LIMITED, `rate limited: ${reason}`)
        else socket.close(CLOSE_RATE_LIMITED, 'rate limited')
        discardInput(socket)
      },
    )
    socket.on('message', (data, isBinary) => {
      const bytes = toBytes(data)
      gate.push([bytes, isBinary], bytes.byteLength)
    })
    socket.on('error', (error) => {
      const where = connection ? connection.describe() : `"${logSafePath(url.pathname)}"`
      logger.warn(`websocket error for ${where}: ${error.message}`)
    })
    socket.on('close', (code, reason) => {
      closedEarly = true
      gate.close()
      if (!connection) return
      connections.delete(connection)
      connection.detach(code, reason.toString())
      releaseRoom(connection.room)
    })
    // Edits that arrive while the room loads wait in `queued`, in order; none is dropped.

    let documentName: string
    try {
      documentName = decodeURIComponent(url.pathname.slice(SYNC_PATH_PREFIX.length))
    } catch {
      documentName = ''
    }
    let member: Member | null
    try {
      member = await authenticate({ token: url.searchParams.get('token'), documentName, request })
    } catch (error) {
      logger.error(`onAuthenticate failed for "${logSafe(documentName)}": ${(error as Error).message}`)
      member = null
    }
    if (closedEarly) return
    if (!member) {
      logger.info(`refused connection to "${logSafe(documentName)}": missing, unknown or revoked token`)
      socket.close(CLOSE_UNAUTHORIZED, 'unauthorized')
      return
    }
    gate.joinMember(member.id)
    const clientEpoch = url.searchParams.get('epoch')
    if (options.workspaceEpoch && clientEpoch !== null && clientEpoch !== options.workspaceEpoch) {
      logger.info(`refused connection of member ${logSafe(member.id)} to "${logSafe(documentName)}": epoch "${logSafe(clientEpoch)}" is from before a restore`)
      socket.close(CLOSE_WORKSPACE_RESTORED, `workspace restored: epoch ${options.workspaceEpoch}`)
      return
    }
    if (!DOC_NAME_PATTERN.test(documentName)) {
      logger.info(`refused connection of member ${logSafe(member.id)}: invalid document name "${logSafe(documentName)}"`)
      socket.close(CLOSE_NOT_FOUND, `invalid document name; expected ${DOC_NAME_PATTERN.source}`)
      return
    }
    if (!(await knownDocuments.allows(documentName))) {
      if (closedEarly) return
      logger.info(`refused connection of member ${logSafe(member.id)}: no document "${documentName}" in the workspace schema`)
      socket.close(CLOSE_NOT_FOUND, fitCloseReason(`not in the workspace schema: "${documentName}"`))
      return
    }
    if (closing) {
      socket.close(CLOSE_GOING_AWAY, 'relay shutting down')
      return
    }
    const room = useRoom(documentName)
    try {
      await room.ready
    } catch (error) {
      releaseRoom(room)
      logger.error(`loading "${documentName}" failed: ${(error as Error).stack ?? String(error)}`)
      if (!closedEarly) socket.close(CLOSE_INTERNAL_ERROR, 'could not load document')
      return
    }
    if (closedEarly || closing) {
      releaseRoom(room)
      if (!closedEarly) socket.close(CLOSE_GOING_AWAY, 'relay shutting down')
      return
    }
    const current = new SyncConnection(socket, member, room, { ...connectionOptions, acknowledge: url.searchParams.get('acks') === '1' }, transport)
    connection = current
    connections.add(current)
    room.peers.add(current)
    socket.on('pong', () => {
      current.alive = true
    })
    runHook(logger, 'onConnect', () => hooks.onConnect?.({ documentName, member }))
    current.start()
    for (const [bytes, isBinary] of queued.splice(0)) current.handleMessage(bytes, isBinary)
  }

  // Rooms in use grow as they are edited: look at the budget now and then, not on every update.
  const budgetTimer = setInterval(enforceBudget, 1000)
  budgetTimer.unref()

  // Each connection is pinged once per interval, a slice of them per second (by when they came):
  // pinging all at once wrote a ping to every socket in one task and read every pong right after
  // — with B9's 150 connections a ~4 ms stall of this loop (and of the clients' processes) that
  // delayed the edits arriving meanwhile.
  const pingIntervalMs = options.pingIntervalMs ?? 30_000
  const pingSlices = Math.max(1, Math.round(pingIntervalMs / PING_TICK_MS))
  let pingTick = 0
  const pingTimer = setInterval(() => {
    const slice = pingTick++ % pingSlices
    for (const connection of connections) {
      if (connection.pingSlot % pingSlices !== slice) continue
      if (connection.socket.readyState !== connection.socket.OPEN) continue
      if (!connection.alive) {
        logger.info(`no pong from ${connection.describe()}; dropping the connection`)
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }, pingIntervalMs / pingSlices)
  pingTimer.unref()

  let membersVersion = storage.membersVersion()
  const revocationTimer = setInterval(() => {
    try {
      const version = storage.membersVersion()
      if (version === membersVersion) return
      membersVersion = version
      server.sweepRevoked()
    } catch (error) {
      logger.error(`checking for revoked members failed: ${(error as Error).message}`)
    }
  }, options.revocationPollMs ?? 250)
  revocationTimer.unref()

  const server: SyncServer = {
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://relay.invalid')
      if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) {
        if (options.ignoreOtherUpgrades) return false
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        return true
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        accept(ws, socket, request, url).catch((error: unknown) => {
          logger.error(`accepting a connection failed: ${(error as Error).stack ?? String(error)}`)
          ws.close(CLOSE_INTERNAL_ERROR, 'internal error')
        })
      })
      return true
    },

    closeMemberConnections(memberId) {
      let closed = 0
      for (const connection of connections) {
        if (connection.member.id !== memberId || connection.isClosed) continue
        logger.info(`closing ${connection.describe()}: member revoked`)
        connection.close(CLOSE_UNAUTHORIZED, 'member revoked')
        closed++
      }
      return closed
    },

    sweepRevoked() {
      const checked = new Map<string, boolean>()
      for (const connection of connections) {
        const { id } = connection.member
        let revoked = checked.get(id)
        if (revoked === undefined) {
          // Members that did not come from storage (a custom onAuthenticate) are not ours to revoke.
          const stored = storage.getMember(id)
          revoked = stored !== null && stored.revokedAt !== undefined
          checked.set(id, revoked)
        }
        if (revoked) server.closeMemberConnections(id)
      }
    },

    connectionCount: () => connections.size,
    openRooms: () => [...rooms.keys()],
    room: (name) => rooms.get(name),
    cachedBytes,
    setRoomCacheBytes(bytes) {
      roomCacheBytes = bytes
      enforceBudget()
    },
    storageHealth,
    async settledWrites() {
      await writer.settled()
      const names = new Set([...storage.listDocuments(), ...rooms.keys()])
      await Promise.all([...names].map((name) => documentWriter.settled(name)))
    },
    writeServerUpdate: (documentName, update, member, origin) =>
      writeServerUpdate({ useRoom, releaseRoom, writer, hooks, logger }, documentName, update, member, origin),

    async close() {
      closing = true
      clearInterval(pingTimer)
      clearInterval(budgetTimer)
      clearInterval(revocationTimer)
      for (const timer of idleTimers.values()) clearTimeout(timer)
      idleTimers.clear()
      const sockets = [...wss.clients]
      for (const connection of connections) connection.close(CLOSE_GOING_AWAY, 'relay shutting down')
      for (const socket of sockets) if (socket.readyState === socket.CONNECTING || socket.readyState === socket.OPEN) socket.close(CLOSE_GOING_AWAY, 'relay shutting down')
      await waitForSockets(sockets, 1000)
      await writer.settled()
      const open = [...rooms.values()]
      rooms.clear()
      await Promise.all([...open.map(async (room) => {
        await room.ready.catch(() => {})
        await room.dispose()
      }), ...disposals.values()])
      await documentWriter.close()
      await pool.close()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
  return server
}

/** Waits for the closing handshakes, then cuts whatever is left. */
async function waitForSockets(sockets: WebSocket[], timeoutMs: number): Promise<void> {
  const open = sockets.filter((socket) => socket.readyState !== socket.CLOSED)
  if (open.length === 0) return
  await Promise.race([
    Promise.all(open.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())))),
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ])
  for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate()
}
