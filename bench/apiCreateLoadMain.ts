// Child-process entry for B13: POST /api/v1/<entity> at a fixed rate (requests are sent when
// due, whatever the answers do, up to `maxInFlight` unanswered: a create due beyond that is
// skipped, as an integration's connection pool would hold it back, and counted) until the parent
// sends 'stop', then reports over IPC.
// Its own process so the bench's y-websocket clients (B6 under API load) keep their event loop.
// Run by measureApi.ts as: node --import tsx bench/apiCreateLoadMain.ts (config over IPC).
import { apiRequest } from './apiRequest'

export interface CreateLoadConfig {
  url: string
  token: string
  entity: string
  perSecond: number
  /** Unanswered requests at most; a create due beyond that is skipped (counted in `skipped`). */
  maxInFlight: number
  /** A body per create, cycled; `{i}` in string values is replaced by the request's number. */
  bodies: Record<string, unknown>[]
}

export interface CreateLoadResult {
  sent: number
  /** Due while `maxInFlight` requests were unanswered: the relay was behind the rate. */
  skipped: number
  created: number
  /** Answers other than 201, by status (0: the request failed), with the first body of each. */
  refused: Record<string, { count: number; first: string }>
  /** Still unanswered when stopped. */
  inFlight: number
  durationMs: number
  /** The offered rate times the share of offered creates answered 201 (in-flight ones waited for). */
  createdPerSecond: number
  latencyMs: number[]
}

type ParentMessage = { type: 'start'; config: CreateLoadConfig } | { type: 'stop' }

const TICK_MS = 5
/** How long the result waits for creates still in flight when the load stops. */
const SETTLE_MS = 2000

function bodyFor(template: Record<string, unknown>, i: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, typeof v === 'string' ? v.replace('{i}', String(i)) : v]))
}

function start(config: CreateLoadConfig): () => Promise<CreateLoadResult> {
  const started = performance.now()
  let due = 0
  const result: CreateLoadResult = { sent: 0, skipped: 0, created: 0, refused: {}, inFlight: 0, durationMs: 0, createdPerSecond: 0, latencyMs: [] }
  const send = () => {
    const i = result.sent++
    result.inFlight++
    apiRequest(config.url, 'POST', `/${config.entity}`, config.token, bodyFor(config.bodies[i % config.bodies.length]!, i)).then((answer) => {
      result.inFlight--
      if (answer.status === 201) {
        result.created++
        result.latencyMs.push(answer.ms)
        return
      }
      const slot = (result.refused[answer.status] ??= { count: 0, first: answer.body.slice(0, 300) })
      slot.count++
    }, (error: unknown) => {
      result.inFlight--
      const slot = (result.refused['0'] ??= { count: 0, first: (error as Error).message })
      slot.count++
    })
  }
  const timer = setInterval(() => {
    const now = Math.floor(((performance.now() - started) * config.perSecond) / 1000)
    for (; due < now; due++) {
      if (result.inFlight < config.maxInFlight) send()
      else result.skipped++
    }
  }, TICK_MS)
  return async () => {
    clearInterval(timer)
    result.durationMs = performance.now() - started
    // The rate is the offered rate times the share of offered creates answered 201: dividing the
    // count by the wall time undercounts by the last tick and the requests still in flight, so a
    // relay that answered every create still read 299.9/s against 300/s.
    const offered = result.sent + result.skipped
    const settleBy = performance.now() + SETTLE_MS
    while (result.inFlight > 0 && performance.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, TICK_MS))
    result.createdPerSecond = offered > 0 ? (result.created * config.perSecond) / offered : 0
    return result
  }
}

let stop: (() => Promise<CreateLoadResult>) | null = null
process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    stop = start(message.config)
    process.send?.({ type: 'started' })
  } else if (message.type === 'stop' && stop) {
    void stop().then((result) => process.send?.({ type: 'result', result }, () => process.exit(0)))
  }
})
process.send?.({ type: 'ready' })
