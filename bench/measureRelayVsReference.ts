// B9: our relay (auth + durable SQLite writes) vs the reference y-websocket backend under the
// same load. Part of `npm run bench`; standalone: npx tsx bench/measureRelayVsReference.ts
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import { PROJECT_ROOT } from '../server/config'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { addEntity } from '../src/crdt/schemaDoc'
import { apiRequest } from './apiRequest'
import { formatSummary, formatTable } from './formatSummaryTable'
import type { LoadRunResult } from './relayLoadProcess'
import { pooledPercentile, startLoadProcess } from './relayLoadProcess'
import { seedMembers, seedRelayStorage } from './seedRelayStorage'
import { startBenchRelay, startRelayProcess, type RelayProcess } from './startRelayProcess'
import { summarize, type Summary } from './summarize'
import { waitForProcessIdle } from './waitForProcessIdle'

export interface MeasureRelayVsReferenceOptions {
  /** Documents, each with `clientsPerDoc` clients editing it; default 50 × 3 = 150 clients. */
  docs?: number
  clientsPerDoc?: number
  /** Rates of the latency phases, edits/s over all clients; default [1000, 3000]. The first is `p50`/`p99`. */
  rates?: number[]
  /** Edits in flight per client in the throughput phase (closed loop); default 4. */
  window?: number
  /** Length of each phase; default 3500 ms. */
  phaseMs?: number
  /** Repetitions, alternating the two servers; default 5. */
  reps?: number
  /**
   * Repetitions first run and not counted (default 1): our relay's p99 is 2–3× its later one for
   * its first ~10–20 s of load after a start, whichever server goes first (docs/perf-log.md,
   * 2026-12-06, session 14); the budget is about a relay that has been serving. Printed as warm-up.
   */
  warmupReps?: number
  /**
   * Load processes the clients are spread over, whole documents each (default 2, or
   * KANSO_BENCH_B9_LOAD_PROCESSES): a process's GC pause delays every delivery it times, and with
   * one process those pauses set most of both servers' p99 (see docs/perf-log.md, 2026-12-06).
   */
  loadProcesses?: number
  onProgress?: (message: string) => void
}

export interface RateFigures {
  editsPerSecond: number
  /** Edit → visible in another client, ms. */
  p50: Summary
  p99: Summary
  /** p99 of every repetition's deliveries pooled (less swayed by one repetition's bad luck than the median of p99s), ms. */
  p99Pooled: number
  runs: LoadRunResult[]
}

export interface ServerFigures {
  /** Edit → visible in another client at the first rate, ms (= byRate[0]). */
  p50: Summary
  p99: Summary
  byRate: RateFigures[]
  /** Edits delivered to every other client of their document per second, flat out (throughput phase). */
  updatesPerSec: Summary
  /** Deliveries (edit × receiving client) per second, flat out. */
  deliveriesPerSec: Summary
  /** p99 while flat out, ms. */
  p99FlatOut: Summary
  /** Deliveries missing after the latency phases (expected 0). */
  missing: number
  throughputRuns: LoadRunResult[]
}

export interface RelayVsReferenceResult {
  ours: ServerFigures
  reference: ServerFigures
  /** ours ÷ reference, on the medians (budget: p99 ≤ 1 at every rate, updatesPerSec ≥ 1). */
  ratios: { p99: number; p99ByRate: number[]; updatesPerSec: number }
  /**
   * ours ÷ reference per repetition (the two servers run back to back in each): p99 per rate
   * and flat-out updates/s. What `npm run bench` reports as median (min–max).
   */
  repRatios: { p99ByRate: number[][]; updatesPerSec: number[] }
  /** After our relay's phases of a repetition, how long until its record history was derived (waited for, never measured into the reference). */
  historyDrainMs: Summary
  config: Required<Omit<MeasureRelayVsReferenceOptions, 'onProgress'>> & { clients: number }
  loadAverage: [start: number, end: number]
}

type Target = 'ours' | 'reference'

const B9_RELAY_ENV = { KANSO_RATE_LIMIT_MEMBER_MESSAGES: '1000000', KANSO_RATE_LIMIT_MEMBER_MESSAGES_BURST: '1000000' }

/**
 * Starts both servers in their own processes (ours with a member token and SQLite in a temp
 * dir, the reference @y/websocket-server with neither) and one load process with
 * `docs × clientsPerDoc` real y-websocket clients per server. Each repetition measures, for
 * each server in turn: a latency phase at a fixed edit rate, then a throughput phase where
 * every client keeps `window` edits in flight (closed loop, flat out).
 */
export async function measureRelayVsReference(opts: MeasureRelayVsReferenceOptions = {}): Promise<RelayVsReferenceResult> {
  const config = {
    docs: opts.docs ?? 50,
    clientsPerDoc: opts.clientsPerDoc ?? 3,
    rates: opts.rates ?? [1000, 3000],
    window: opts.window ?? 4,
    phaseMs: opts.phaseMs ?? 3500,
    reps: opts.reps ?? 5,
    warmupReps: opts.warmupReps ?? 1,
    loadProcesses: opts.loadProcesses ?? Number(process.env.KANSO_BENCH_B9_LOAD_PROCESSES ?? 2),
  }
  const progress = opts.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-b9-'))
  const servers: Partial<Record<Target, RelayProcess>> = {}
  const load = await startLoadProcess({ processes: config.loadProcesses })
  try {
    const [member] = seedMembers(dataDir, ['Bench Admin'])
    // the relay opens only the documents of entities in the schema
    const entities = Array.from({ length: config.docs }, (_, i) => `load-${i}`)
    seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: schemaWith(entities) }])
    // The 150 clients stand for 150 people but share one token: lift the per-member rate limit
    // (the reference has none); each connection keeps its own (~100 updates/s each flat out, of 200).
    servers.ours = await startBenchRelay(dataDir, { env: B9_RELAY_ENV, cpuProfileFile: process.env.KANSO_BENCH_B9_PROFILE })
    servers.reference = await startRelayProcess(join(PROJECT_ROOT, 'bench/referenceRelayMain.ts'), [])
    const docs = entities.map(entityDocName)
    for (const target of ['ours', 'reference'] as const) {
      const server = servers[target] as RelayProcess
      const { clients, ms } = await load.connect(target, server.syncUrl, target === 'ours' ? (member?.token ?? null) : null, docs, config.clientsPerDoc)
      progress(`  ${target}: ${clients} clients on ${docs.length} documents synced in ${ms.toFixed(0)} ms`)
      await load.run(target, { window: 1 }, 1000) // warm-up
    }
    // Our relay derives record history after a burst, when it has spare time (server/history/
    // quietBacklog.ts). That work must not run while the reference is measured: after our phases
    // the bench waits for it through GET …/history, which answers once the history is derived.
    const probe = await apiRequest(servers.ours.url, 'POST', '/load_0', member!.token, { name: 'history probe' })
    if (probe.status !== 201) throw new Error(`B9: could not create the history probe record (${probe.status} ${probe.body})`)
    const probeId = (JSON.parse(probe.body) as { id: string }).id
    const historyDrains: number[] = []
    const waitForHistory = async (): Promise<number> => {
      const started = performance.now()
      const answer = await apiRequest(servers.ours!.url, 'GET', `/load_0/${probeId}/history?limit=1`, member!.token)
      if (answer.status !== 200) throw new Error(`B9: GET …/history answered ${answer.status} ${answer.body}`)
      return performance.now() - started
    }
    // the warm-ups' history too: derived while the reference warmed up and into our first phase before
    await waitForHistory()
    // KANSO_BENCH_PHASE_LOG: each phase's bounds and its slowest deliveries (epoch ms), to line up
    // with the relay's GC log (KANSO_BENCH_GC_LOG) and other relay events.
    const phaseLog = process.env.KANSO_BENCH_PHASE_LOG
    const logPhase = (target: Target, phase: string, run: LoadRunResult) => {
      if (!phaseLog) return
      const lines = [`phase ${target} ${phase} ${run.startedAt.toFixed(1)} ${run.stoppedAt.toFixed(1)} p99 ${run.p99Ms.toFixed(2)}`]
      for (const [at, ms] of run.slowest) lines.push(`slow ${target} ${phase} ${at.toFixed(1)} ${ms.toFixed(2)}`)
      appendFileSync(phaseLog, `${lines.join('\n')}\n`)
    }
    const runs: Record<Target, { latency: LoadRunResult[][]; throughput: LoadRunResult[] }> = {
      ours: { latency: config.rates.map(() => []), throughput: [] },
      reference: { latency: config.rates.map(() => []), throughput: [] },
    }
    for (let rep = -config.warmupReps; rep < config.reps; rep++) {
      const warmup = rep < 0
      const order: Target[] = rep % 2 === 0 || warmup ? ['ours', 'reference'] : ['reference', 'ours']
      for (const target of order) {
        const parts: string[] = []
        for (const [i, editsPerSecond] of config.rates.entries()) {
          const latency = await load.run(target, { editsPerSecond }, config.phaseMs)
          if (!warmup) runs[target].latency[i]?.push(latency)
          logPhase(target, String(editsPerSecond), latency)
          parts.push(`${editsPerSecond}/s p50 ${latency.p50Ms.toFixed(1)} p99 ${latency.p99Ms.toFixed(1)} ms${latency.missing > 0 ? ` (missing ${latency.missing})` : ''}`)
        }
        const throughput = await load.run(target, { window: config.window }, config.phaseMs)
        if (!warmup) runs[target].throughput.push(throughput)
        logPhase(target, 'flat', throughput)
        const drain = target === 'ours' ? await waitForHistory() : null
        if (drain !== null && !warmup) historyDrains.push(drain)
        // The other server is measured next: whatever this one still does after its phases (our
        // relay's compactions in its workers, the WAL, a major GC; ~240 ms of CPU into the next
        // phase, measured with /proc) must not take the cores from it.
        const quiet = await waitForProcessIdle((servers[target] as RelayProcess).pid, 20_000)
        const drained = `${drain !== null ? `; history derived ${drain.toFixed(0)} ms after` : ''}; quiet ${quiet.how === 'cpu' ? `after ${quiet.waitedMs} ms` : quiet.how}`
        progress(`  ${warmup ? 'warm-up' : `rep ${rep + 1}/${config.reps}`} ${target.padEnd(9)}: ${parts.join('; ')}; flat out ${throughput.completedPerSecond.toFixed(0)} updates/s (p99 ${throughput.p99Ms.toFixed(0)} ms)${drained}`)
      }
    }
    const figures = (target: Target): ServerFigures => {
      const byRate = config.rates.map((editsPerSecond, i): RateFigures => {
        const rateRuns = runs[target].latency[i] ?? []
        return { editsPerSecond, p50: summarize(rateRuns.map((r) => r.p50Ms)), p99: summarize(rateRuns.map((r) => r.p99Ms)), p99Pooled: pooledPercentile(rateRuns, 0.99), runs: rateRuns }
      })
      return {
        p50: (byRate[0] as RateFigures).p50,
        p99: (byRate[0] as RateFigures).p99,
        byRate,
        updatesPerSec: summarize(runs[target].throughput.map((r) => r.completedPerSecond)),
        deliveriesPerSec: summarize(runs[target].throughput.map((r) => r.deliveriesPerSecond)),
        p99FlatOut: summarize(runs[target].throughput.map((r) => r.p99Ms)),
        missing: runs[target].latency.flat().reduce((n, r) => n + Math.max(0, r.missing), 0),
        throughputRuns: runs[target].throughput,
      }
    }
    const ours = figures('ours')
    const reference = figures('reference')
    const p99ByRate = ours.byRate.map((r, i) => r.p99.median / (reference.byRate[i]?.p99.median ?? NaN))
    return {
      ours,
      reference,
      ratios: { p99: p99ByRate[0] ?? NaN, p99ByRate, updatesPerSec: ours.updatesPerSec.median / reference.updatesPerSec.median },
      repRatios: {
        p99ByRate: config.rates.map((_, i) => (runs.ours.latency[i] ?? []).map((r, rep) => r.p99Ms / (runs.reference.latency[i]?.[rep]?.p99Ms ?? NaN))),
        updatesPerSec: runs.ours.throughput.map((r, rep) => r.completedPerSecond / (runs.reference.throughput[rep]?.completedPerSecond ?? NaN)),
      },
      historyDrainMs: summarize(historyDrains),
      config: { ...config, clients: config.docs * config.clientsPerDoc },
      loadAverage: [loadStart, loadavg()[0] ?? NaN],
    }
  } finally {
    await load.close()
    await servers.ours?.stop()
    await servers.reference?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** The small table the standalone run prints. */
export function formatRelayVsReference(r: RelayVsReferenceResult): string {
  const c = r.config
  const rows = [
    ['metric', 'ours (auth + SQLite)', 'reference (@y/websocket-server 0.1.1)', 'ours ÷ ref', 'budget'],
    ...r.ours.byRate.flatMap((mine, i) => {
      const theirs = r.reference.byRate[i] as RateFigures
      const ratio = r.ratios.p99ByRate[i] ?? NaN
      return [
        [`edit → other client p50 @ ${mine.editsPerSecond} edits/s`, formatSummary(mine.p50, 1, ' ms'), formatSummary(theirs.p50, 1, ' ms'), (mine.p50.median / theirs.p50.median).toFixed(2), ''],
        [`edit → other client p99 @ ${mine.editsPerSecond} edits/s`, formatSummary(mine.p99, 1, ' ms'), formatSummary(theirs.p99, 1, ' ms'), ratio.toFixed(2), `≤ 1× ${ratio <= 1 ? 'pass' : 'FAIL'}`],
        [`  p99 of all repetitions' deliveries pooled`, `${mine.p99Pooled.toFixed(1)} ms`, `${theirs.p99Pooled.toFixed(1)} ms`, (mine.p99Pooled / theirs.p99Pooled).toFixed(2), ''],
      ]
    }),
    ['updates/s flat out (all peers got it)', formatSummary(r.ours.updatesPerSec, 0), formatSummary(r.reference.updatesPerSec, 0), r.ratios.updatesPerSec.toFixed(2), `≥ 1× ${r.ratios.updatesPerSec >= 1 ? 'pass' : 'FAIL'}`],
    ['deliveries/s flat out', formatSummary(r.ours.deliveriesPerSec, 0), formatSummary(r.reference.deliveriesPerSec, 0), (r.ours.deliveriesPerSec.median / r.reference.deliveriesPerSec.median).toFixed(2), ''],
    ['p99 flat out', formatSummary(r.ours.p99FlatOut, 0, ' ms'), formatSummary(r.reference.p99FlatOut, 0, ' ms'), '', ''],
    ['deliveries missing (fixed-rate phases)', String(r.ours.missing), String(r.reference.missing), '', ''],
    ['record history derived after the phases', formatSummary(r.historyDrainMs, 0, ' ms'), '(none)', '', ''],
  ]
  return [
    `B9 relay vs reference: ${c.clients} y-websocket clients (${c.docs} docs × ${c.clientsPerDoc}) in ${c.loadProcesses === 1 ? 'one load process' : `${c.loadProcesses} load processes`}, each server in its own process; ${c.reps} reps alternating servers, after ${c.warmupReps} not counted; phases of ${c.phaseMs / 1000} s: fixed ${c.rates.join(' and ')} edits/s, then closed loop with ${c.window} edits in flight per client (flat out). median (min–max) over reps.`,
    formatTable(rows),
    `load average ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`,
  ].join('\n')
}

/** A schema document with an entity per id, each with one text field `<id>.name` (what the load clients edit). */
function schemaWith(entityIds: string[]): Uint8Array {
  const doc = new Y.Doc()
  entityIds.forEach((id, order) => addEntity(doc, { id, key: id.replace(/-/g, '_'), label: id, singular: id, primaryField: `${id}.name`, order, fields: [{ id: `${id}.name`, key: 'name', label: 'Name', type: 'text', order: 0 }] }, 'bench'))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now()
  const result = await measureRelayVsReference({ onProgress: (m) => console.log(m) })
  console.log(formatRelayVsReference(result))
  console.log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`)
}
