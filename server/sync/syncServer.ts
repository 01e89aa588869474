import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { DOC_NAME_PATTERN } from '../../src/crdt/docNames'
import { authenticateToken } from '../auth/authenticateToken'
import type { Member } from '../auth/member'
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_NOT_FOUND, CLOSE_UNAUTHORIZED } from '../closeCodes'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { runHook, SyncConnection } from './syncConnection'
import { SyncRoom } from './syncRoom'

/** Websocket path prefix: `ws://host/sync/<document name>?token=…`. */
export const SYNC_PATH_PREFIX = '/sync/'

export interface SyncServerOptions {
  storage: RelayStorage
  logger: RelayLogger
  hooks?: RelayHooks
  /** ws `maxPayload`: bigger messages close the connection with 1009. */
  maxMessageBytes: number
  /** Leave upgrades outside /sync/ to other listeners (Vite's HMR in --dev); else answer 404. */
  ignoreOtherUpgrades?: boolean
  ackDelayMs?: number
  compactAfterRows?: number
  /** How long a room with no connections stays in memory. */
  roomIdleMs?: number
  pingIntervalMs?: number
  /** How often to look for members revoked by another process (the CLI). */
  revocationPollMs?: number
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
  const hooks = options.hooks ?? {}
  const connectionOptions = { logger, hooks, ackDelayMs: options.ackDelayMs ?? 40 }
  const roomOptions = { storage, logger, compactAfterRows: options.compactAfterRows ?? 200 }
  const roomIdleMs = options.roomIdleMs ?? 30_000
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
  const rooms = new Map<string, SyncRoom>()
  const idleTimers = new Map<string, NodeJS.Timeout>()
  const connections = new Set<SyncConnection>()
  let closing = false

  const authenticate = (context: { token: string | null; documentName: string; request: IncomingMessage }) =>
    hooks.onAuthenticate ? hooks.onAuthenticate(context) : authenticateToken(storage, context.token)

  function roomFor(name: string): SyncRoom {
    const idle = idleTimers.get(name)
    if (idle) {
      clearTimeout(idle)
      idleTimers.delete(name)
    }
    let room = rooms.get(name)
    if (!room) {
      room = SyncRoom.load(name, roomOptions)
      rooms.set(name, room)
    }
    return room
  }

  function releaseRoom(room: SyncRoom): void {
    if (room.peers.size > 0 || idleTimers.has(room.name) || closing) return
    const timer = setTimeout(() => {
      idleTimers.delete(room.name)
      if (room.peers.size > 0 || rooms.get(room.name) !== room) return
      rooms.delete(room.name)
      room.dispose()
    }, roomIdleMs)
    timer.unref()
    idleTimers.set(room.name, timer)
  }

  async function accept(socket: WebSocket, request: IncomingMessage, url: URL): Promise<void> {
    // Messages may arrive while we authenticate and load the room: keep them in order.
    const queued: Array<[Uint8Array, boolean]> = []
    let connection: SyncConnection | null = null
    let closedEarly = false
    socket.on('message', (data, isBinary) => {
      const bytes = toBytes(data)
      if (connection) connection.handleMessage(bytes, isBinary)
      else queued.push([bytes, isBinary])
    })
    socket.on('error', (error) => {
      const where = connection ? connection.describe() : `"${url.pathname}"`
      logger.warn(`websocket error for ${where}: ${error.message}`)
    })
    socket.on('close', (code, reason) => {
      closedEarly = true
      if (!connection) return
      connections.delete(connection)
      connection.detach(code, reason.toString())
      releaseRoom(connection.room)
    })

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
      logger.error(`onAuthenticate failed for "${documentName}": ${(error as Error).message}`)
      member = null
    }
    if (closedEarly) return
    if (!member) {
      logger.info(`refused connection to "${documentName}": missing, unknown or revoked token`)
      socket.close(CLOSE_UNAUTHORIZED, 'unauthorized')
      return
    }
    if (!DOC_NAME_PATTERN.test(documentName)) {
      logger.info(`refused connection of member ${member.id}: invalid document name "${documentName.slice(0, 200)}"`)
      socket.close(CLOSE_NOT_FOUND, `invalid document name; expected ${DOC_NAME_PATTERN.source}`)
      return
    }
    if (closing) {
      socket.close(CLOSE_GOING_AWAY, 'relay shutting down')
      return
    }
    let room: SyncRoom
    try {
      room = roomFor(documentName)
    } catch (error) {
      logger.error(`loading "${documentName}" failed: ${(error as Error).stack ?? String(error)}`)
      socket.close(CLOSE_INTERNAL_ERROR, 'could not load document')
      return
    }
    const current = new SyncConnection(socket, member, room, connectionOptions)
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

  const pingTimer = setInterval(() => {
    for (const connection of connections) {
      if (connection.socket.readyState !== connection.socket.OPEN) continue
      if (!connection.alive) {
        logger.info(`no pong from ${connection.describe()}; dropping the connection`)
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }, options.pingIntervalMs ?? 30_000)
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
        accept(ws, request, url).catch((error: unknown) => {
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

    async close() {
      closing = true
      clearInterval(pingTimer)
      clearInterval(revocationTimer)
      for (const timer of idleTimers.values()) clearTimeout(timer)
      idleTimers.clear()
      const sockets = [...wss.clients]
      for (const connection of connections) connection.close(CLOSE_GOING_AWAY, 'relay shutting down')
      for (const socket of sockets) if (socket.readyState === socket.CONNECTING || socket.readyState === socket.OPEN) socket.close(CLOSE_GOING_AWAY, 'relay shutting down')
      await waitForSockets(sockets, 1000)
      for (const room of rooms.values()) room.dispose()
      rooms.clear()
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
