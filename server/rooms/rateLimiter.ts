import { MessageGate, type PausableSource } from './messageGate'
import { MessageBudget, type RateLimit } from './tokenBucket'

/**
 * How fast clients may send. Every websocket message counts once and by its bytes; a
 * connection pays from its own budget and from its member's, which all of the member's
 * connections share (and which outlives them, so reconnecting does not refill it).
 */
export interface RateLimits {
  /** One connection: messages, and bytes (a big update counts by its size, not as many messages). */
  connection: { messages: RateLimit; bytes: RateLimit }
  /** All connections of one member together. */
  member: { messages: RateLimit; bytes: RateLimit }
  /** A connection held back this long without a break (see RESUME_GAP_MS) is closed with CLOSE_RATE_LIMITED. */
  graceMs: number
  /** A connection with more messages than this waiting is closed at once (the socket paused too late). */
  maxHeldMessages: number
}

const MiB = 1024 * 1024

/**
 * Generous for people: a person's edits, presence and acknowledgements are a few to a few dozen
 * messages a second; a paste, an import chunk or the sync step 2 of a big offline backlog is one
 * message, which the 64 MiB byte burst (the default message cap) lets through whole. The message
 * burst is small on purpose: the messages of a burst are handled in one go (parsed, checked
 * against the layout, written as one batch), which the other rooms wait for; in an A/B of B10 on
 * a loaded machine (load average 10–15), bursts of 1000 gave p99 106–512 ms, bursts of 200 14–273 ms.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  connection: { messages: { perSecond: 200, burst: 200 }, bytes: { perSecond: 8 * MiB, burst: 64 * MiB } },
  member: { messages: { perSecond: 1000, burst: 2000 }, bytes: { perSecond: 32 * MiB, burst: 128 * MiB } },
  graceMs: 10_000,
  maxHeldMessages: 50_000,
}

interface MemberEntry {
  budget: MessageBudget
  connections: number
  forget: NodeJS.Timeout | null
}

export interface ConnectionGate<T> {
  /** A message from the socket, in order. */
  push(message: T, bytes: number): void
  /** From now on the connection also pays from this member's shared budget. */
  joinMember(memberId: string): void
  /** The socket closed: drop what is held and leave the member's budget. */
  close(): void
}

/** Budgets for a relay's connections and members; `null` limits let everything through at once. */
export class RateLimiter {
  private readonly members = new Map<string, MemberEntry>()

  constructor(
    readonly limits: RateLimits | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A gate for one new connection's messages (see MessageGate). */
  open<T>(source: PausableSource, deliver: (message: T) => void, overLimit: (reason: string) => void): ConnectionGate<T> {
    const limits = this.limits
    const gate = new MessageGate<T>(source, {
      deliver,
      overLimit,
      graceMs: limits?.graceMs ?? Infinity,
      maxHeldMessages: limits?.maxHeldMessages ?? Infinity,
      now: this.now,
    })
    if (limits) gate.addBudget(new MessageBudget(limits.connection, this.now()))
    let memberId: string | null = null
    return {
      push: (message, bytes) => gate.push(message, bytes),
      joinMember: (id) => {
        if (!limits || memberId !== null) return
        memberId = id
        gate.addBudget(this.joinMember(id, limits))
      },
      close: () => {
        gate.close()
        if (memberId !== null) this.leaveMember(memberId)
        memberId = null
      },
    }
  }

  /** Members whose budget is kept (tests, diagnostics). */
  memberCount(): number {
    return this.members.size
  }

  private joinMember(id: string, limits: RateLimits): MessageBudget {
    let entry = this.members.get(id)
    if (!entry) {
      entry = { budget: new MessageBudget(limits.member, this.now()), connections: 0, forget: null }
      this.members.set(id, entry)
    }
    if (entry.forget) clearTimeout(entry.forget)
    entry.forget = null
    entry.connections++
    return entry.budget
  }

  /** A member without connections is forgotten once its budget is full again (a new one is the same). */
  private leaveMember(id: string): void {
    const entry = this.members.get(id)
    if (!entry || --entry.connections > 0) return
    entry.forget = setTimeout(() => {
      if (this.members.get(id) === entry && entry.connections === 0) this.members.delete(id)
    }, Math.ceil(entry.budget.fullInMs(this.now())))
    entry.forget.unref()
  }
}
