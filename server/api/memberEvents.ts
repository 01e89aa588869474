import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RelayStorage } from '../storage/relayStorage'

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000

/**
 * Server-sent events to members' open browsers (GET /api/v1/events): the relay's way to tell one
 * member something only they should see, such as a call ringing for them. A plain HTTP stream
 * rather than a message on the sync websocket, whose protocol stays stock y-websocket, and
 * rather than awareness, which every client of a room sees and which clients vouch for themselves.
 */
export class MemberEvents {
  private readonly streams = new Map<string, Set<ServerResponse>>()
  private heartbeat: NodeJS.Timeout | null = null

  /** Opens `res` as the member's event stream until the browser goes away. */
  open(req: IncomingMessage, res: ServerResponse, memberId: string): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    res.write('retry: 3000\n: connected\n\n')
    let own = this.streams.get(memberId)
    if (!own) this.streams.set(memberId, (own = new Set()))
    own.add(res)
    this.heartbeat ??= setInterval(() => this.beat(), HEARTBEAT_MS).unref()
    req.socket.setTimeout(0)
    res.on('close', () => {
      own.delete(res)
      if (own.size === 0 && this.streams.get(memberId) === own) this.streams.delete(memberId)
      if (this.streams.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat)
        this.heartbeat = null
      }
    })
  }

  /** Sends an event to every open stream of the member; how many streams it reached. */
  send(memberId: string, event: string, data: unknown): number {
    const own = this.streams.get(memberId)
    if (!own) return 0
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const res of own) res.write(frame)
    return own.size
  }

  private beat(): void {
    for (const own of this.streams.values()) for (const res of own) res.write(': ping\n\n')
  }
}

const byStorage = new WeakMap<RelayStorage, MemberEvents>()

/** The relay's event streams (one set per relay, found by its storage like the cached schema). */
export function memberEventsOf(storage: RelayStorage): MemberEvents {
  let events = byStorage.get(storage)
  if (!events) byStorage.set(storage, (events = new MemberEvents()))
  return events
}
