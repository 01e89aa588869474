// B10: edit → other client p99 while one client floods the relay with tiny updates (issue 11).
// Part of `npm run bench` (`--only b10` runs it alone); standalone:
// npx tsx bench/measureRelayFlood.ts [--reps N] [--no-limits]   (--no-limits: KANSO_RATE_LIMIT=off, the figure before the fix)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { Socket } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { addEntity } from '../src/crdt/schemaDoc'
import { formatSummary, formatTable } from './formatSummaryTable'
import { startLoadProcess, type LoadRunResult } from './relayLoadProcess'
import { seedMembers, seedRelayStorage } from './seedRelayStorage'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'

export interface MeasureRelayFloodOptions {
  /** Repetitions, each on a new relay process; default 3. */
  reps?: number
  /** Documents the other clients edit, two clients each; default 10 (20 clients, as B6). */
  pairs?: number
  /** Edits per second over all the other clients; default 80 (each every 250 ms, as B6). */
  editsPerSecond?: number
  /** Tiny updates the flooder sends (each one transaction setting one cell)… */
  floodUpdates?: number
  /** …spread over this long; default 100,000 in 1000 ms (issue 11). */
  floodMs?: number
  /** Measured from the flood's start; default 12 s: the default 10 s grace period, the burst before it, and a margin. */
  windowMs?: number
  /** Environment of the relay process, e.g. { KANSO_RATE_LIMIT: 'off' } for the figure without limits. */
  relayEnv?: Record<string, string>
  onProgress?: (message: string) => void
}

export interface FloodRep {
  /** The other clients' edits during the window. */
  others: LoadRunResult
  /** When the relay closed the flooder, ms after its first message; null: not within the window. */
  flooderClosedMs: number | null
  closeCode: number | null
  /** Flood updates the relay stored (read from the flooded document by a fresh client). */
  floodStored: number | null
  /** A fresh y-websocket client syncing the flooded document after the window; null: not within 60 s. */
  freshSyncMs: number | null
  lag: LoopLagSnapshot
  /** The relay process's peak resident memory (VmHWM), bytes; NaN without /proc. */
  relayPeakRssBytes: number
}

export interface RelayFloodResult {
  reps: FloodRep[]
  /** Per repetition: the other clients' edit → other client p99 (B10, budget ≤ 100 ms). */
  p99Ms: number[]
  config: Required<Omit<MeasureRelayFloodOptions, 'onProgress' | 'relayEnv'>> & { relayEnv: Record<string, string> }
  loadAverage: [start: number, end: number]
}

const FLOOD_ENTITY = 'flood'
const FIELD = `${FLOOD_ENTITY}.name`
const FRESH_SYNC_TIMEOUT_MS = 60_000

/** A schema document with an entity per id, each with one text field `<id>.name` (what the load clients and the flooder edit). */
function schemaWith(entityIds: string[]): Uint8Array {
  const doc = new Y.Doc()
  entityIds.forEach((id, order) => addEntity(doc, { id, key: id.replace(/-/g, '_'), label: id, singular: id, primaryField: `${id}.name`, order, fields: [{ id: `${id}.name`, key: 'name', label: 'Name', type: 'text', order: 0 }] }, 'bench'))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** A client's websocket frame (binary, final) around `payload`; the mask is zeros, so the payload is as is. */
function clientFrame(payload: Uint8Array): Buffer {
  if (payload.byteLength > 0xffff) throw new Error('a flood message is tiny')
  const long = payload.byteLength > 125
  const header = Buffer.alloc(long ? 8 : 6)
  header[0] = 0x82
  header[1] = 0x80 | (long ? 126 : payload.byteLength)
  if (long) header.writeUInt16BE(payload.byteLength, 2)
  return Buffer.concat([header, payload])
}

/**
 * The flood as a stock client would send it, one update message per transaction: a record, then
 * `count` edits of one cell (`v0`, `v1`, …), as y-websocket sync update messages in websocket
 * frames, joined into `slices` buffers: written as they are, the flood costs the bench process
 * next to nothing while it is measured (ws.send per message took a share of the cores the relay
 * runs on; an attacker's CPU is elsewhere).
 */
function floodSlices(count: number, slices: number): Buffer[] {
  const doc = new Y.Doc()
  const frames: Buffer[] = []
  doc.on('update', (update: Uint8Array) => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0) // sync
    encoding.writeVarUint(e, 2) // update
    encoding.writeVarUint8Array(e, update)
    frames.push(clientFrame(encoding.toUint8Array(e)))
  })
  const record = new Y.Map<string>()
  doc.getMap('records').set('flooded', record)
  for (let i = 0; i < count; i++) record.set(FIELD, `v${i}`)
  doc.destroy()
  return Array.from({ length: slices }, (_, s) => Buffer.concat(frames.slice(Math.floor((frames.length * s) / slices), Math.floor((frames.length * (s + 1)) / slices))))
}

/** Writes the slices evenly over `spreadMs` on a websocket; resolves with the close (or nulls once `windowMs` is over). */
async function flood(url: string, slices: Buffer[], spreadMs: number, windowMs: number): Promise<{ closedMs: number | null; code: number | null }> {
  const ws = new WebSocket(url)
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', (code) => reject(new Error(`the flooder was refused: ${code}`)))
  })
  const started = performance.now()
  const closed = new Promise<{ closedMs: number; code: number }>((resolve) => ws.once('close', (code) => resolve({ closedMs: performance.now() - started, code })))
  // The frames go straight into ws's TCP socket (ws itself sends nothing else on it).
  const raw = (ws as unknown as { _socket: Socket })._socket
  const timers = slices.map((slice, s) => setTimeout(() => {
    if (ws.readyState === ws.OPEN) raw.write(slice)
  }, (spreadMs * s) / slices.length))
  const result = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), windowMs))])
  timers.forEach((t) => clearTimeout(t))
  ws.removeAllListeners('close')
  ws.terminate()
  return result ?? { closedMs: null, code: null }
}

/** A fresh y-websocket client on the flooded document: ms until synced and the flood index of the value it got. */
async function freshSync(syncUrl: string, docName: string, token: string): Promise<{ ms: number | null; stored: number | null }> {
  const started = performance.now()
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, docName, doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true, params: { token } })
  try {
    const synced = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FRESH_SYNC_TIMEOUT_MS)
      provider.on('sync', (state: boolean) => {
        if (!state) return
        clearTimeout(timer)
        resolve(true)
      })
    })
    const value = (doc.getMap('records').get('flooded') as Y.Map<string> | undefined)?.get(FIELD)
    return { ms: synced ? performance.now() - started : null, stored: value ? Number(value.slice(1)) + 1 : null }
  } finally {
    provider.destroy()
    doc.destroy()
  }
}

function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : NaN
  } catch {
    return NaN // no /proc (not Linux): the figure is left out
  }
}

async function loopLag(url: string, reset: boolean): Promise<LoopLagSnapshot> {
  const response = await fetch(`${url}/debug/loop-lag${reset ? '?reset=1' : ''}`)
  if (!response.ok) throw new Error(`GET /debug/loop-lag: ${response.status}`)
  return (await response.json()) as LoopLagSnapshot
}

/**
 * Per repetition: a new relay process (as `kanso serve` runs it, default rate limits unless
 * `relayEnv` says otherwise) with a schema of `pairs` + 1 entities; 2 × `pairs` y-websocket
 * clients (a load process, one member) edit their documents at `editsPerSecond` in all; after a
 * 2 s warm-up, another member's raw websocket sends `floodUpdates` tiny updates to the flood
 * document within `floodMs`, and the other clients' edit → other client latency is measured for
 * `windowMs` from the flood's start. Then a fresh client syncs the flooded document.
 */
export async function measureRelayFlood(opts: MeasureRelayFloodOptions = {}): Promise<RelayFloodResult> {
  const config = {
    reps: opts.reps ?? 3,
    pairs: opts.pairs ?? 10,
    editsPerSecond: opts.editsPerSecond ?? 80,
    floodUpdates: opts.floodUpdates ?? 100_000,
    floodMs: opts.floodMs ?? 1000,
    windowMs: opts.windowMs ?? 12_000,
    relayEnv: opts.relayEnv ?? {},
  }
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const pairEntities = Array.from({ length: config.pairs }, (_, i) => `pair-${i}`)
  const slices = floodSlices(config.floodUpdates, 10)
  const load = await startLoadProcess()
  const reps: FloodRep[] = []
  try {
    for (let rep = 0; rep < config.reps; rep++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-b10-'))
      try {
        const [admin, flooder] = seedMembers(dataDir, ['Bench Admin', 'Flooder'])
        if (!admin || !flooder) throw new Error('seeding the members failed')
        // The relay opens only the documents of entities in the schema.
        seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: schemaWith([...pairEntities, FLOOD_ENTITY]) }])
        const relay = await startBenchRelay(dataDir, { env: config.relayEnv })
        try {
          await load.connect('others', relay.syncUrl, admin.token, pairEntities.map(entityDocName), 2)
          // Warm-up: the relay's worker threads load their code (about a second of CPU each).
          await load.run('others', { editsPerSecond: config.editsPerSecond }, 2000)
          await loopLag(relay.url, true)
          load.start('others', { editsPerSecond: config.editsPerSecond })
          const closed = await flood(`${relay.syncUrl}/${entityDocName(FLOOD_ENTITY)}?token=${encodeURIComponent(flooder.token)}`, slices, config.floodMs, config.windowMs)
          const left = config.windowMs - (closed.closedMs ?? config.windowMs)
          if (left > 0) await new Promise((r) => setTimeout(r, left))
          const others = await load.stop('others')
          const lag = await loopLag(relay.url, false)
          await load.disconnect('others')
          const fresh = await freshSync(relay.syncUrl, entityDocName(FLOOD_ENTITY), admin.token)
          const r: FloodRep = {
            others, flooderClosedMs: closed.closedMs, closeCode: closed.code, floodStored: fresh.stored, freshSyncMs: fresh.ms, lag, relayPeakRssBytes: peakRss(relay.pid),
          }
          reps.push(r)
          progress(`  rep ${rep + 1}/${config.reps}: others' edit → other client p50 ${others.p50Ms.toFixed(1)} ms, p99 ${others.p99Ms.toFixed(1)} ms, max ${others.maxMs.toFixed(0)} ms (missing ${others.missing}); flooder ${r.flooderClosedMs === null ? 'not closed' : `closed with ${r.closeCode} after ${(r.flooderClosedMs / 1000).toFixed(1)} s`}, ${r.floodStored ?? '?'} of ${config.floodUpdates} updates stored; fresh client synced the flooded document in ${r.freshSyncMs === null ? `> ${FRESH_SYNC_TIMEOUT_MS / 1000} s` : `${(r.freshSyncMs / 1000).toFixed(2)} s`}; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms, peak RSS ${(r.relayPeakRssBytes / 1e6).toFixed(0)} MB`)
        } finally {
          // Killed, not stopped: its data is thrown away, a graceful stop would first compact it.
          await relay.kill()
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    await load.close()
  }
  return { reps, p99Ms: reps.map((r) => r.others.p99Ms), config, loadAverage: [loadStart, loadavg()[0] ?? NaN] }
}

/** The small table the standalone run prints. */
export function formatRelayFlood(r: RelayFloodResult): string {
  const s = (values: number[]) => summarize(values.filter((v) => Number.isFinite(v)))
  const p99 = summarize(r.p99Ms)
  const closedAfter = r.reps.map((x) => (x.flooderClosedMs === null ? Infinity : x.flooderClosedMs / 1000))
  const rows = [
    ['metric', `median (min–max) over ${r.reps.length} reps`, 'budget'],
    ['others\' edit → other client p99 during the flood', formatSummary(p99, 1, ' ms'), `≤ 100 ms ${p99.median <= 100 ? 'pass' : 'FAIL'}`],
    ['others\' edit → other client p50', formatSummary(s(r.reps.map((x) => x.others.p50Ms)), 1, ' ms'), ''],
    ['flooder closed after', closedAfter.every(Number.isFinite) ? formatSummary(s(closedAfter), 1, ' s') : `not closed in ${closedAfter.filter((v) => !Number.isFinite(v)).length} reps`, ''],
    ['flood updates stored', formatSummary(s(r.reps.map((x) => x.floodStored ?? NaN)), 0), ''],
    ['fresh client syncs the flooded document', formatSummary(s(r.reps.map((x) => (x.freshSyncMs ?? Infinity) / 1000)), 2, ' s'), ''],
    ['relay event-loop lag p99 during the window', formatSummary(s(r.reps.map((x) => x.lag.p99Ms)), 1, ' ms'), ''],
    ['relay peak RSS', formatSummary(s(r.reps.map((x) => x.relayPeakRssBytes / 1e6)), 0, ' MB'), ''],
  ]
  const env = Object.entries(r.config.relayEnv).map(([k, v]) => `${k}=${v}`).join(' ')
  return [
    `B10 flood: one member sends ${r.config.floodUpdates.toLocaleString('en-US')} tiny updates in ${r.config.floodMs} ms to one document; ${r.config.pairs * 2} clients of another member edit ${r.config.pairs} other documents at ${r.config.editsPerSecond} edits/s; measured for ${r.config.windowMs / 1000} s from the flood's start${env ? ` (relay: ${env})` : ''}.`,
    formatTable(rows),
    `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`,
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { reps: { type: 'string' }, 'no-limits': { type: 'boolean' } } })
  const started = performance.now()
  const result = await measureRelayFlood({
    reps: values.reps ? Number(values.reps) : undefined,
    relayEnv: values['no-limits'] ? { KANSO_RATE_LIMIT: 'off' } : undefined,
    onProgress: (m) => console.log(m),
  })
  console.log(formatRelayFlood(result))
  console.log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
