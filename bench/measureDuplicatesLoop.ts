// B29's list on the real relay (its own process): how long GET /api/v1/contacts/duplicates holds
// the relay's event loop. Each search follows an edit (an edit drops the cached answer, so in a
// team editing contacts every search is a new one); an idle second before each search is measured
// the same way, as the machine's own noise. Not part of `npm run bench` yet; standalone:
// npx tsx bench/measureDuplicatesLoop.ts [contacts=100000] [searches=5] [--settle <ms>] [--cpu-profile <file>]
// --settle: a further wait before the first search. The warm-up edit makes the history feed load
// its own copy of the contacts (API loader thread, then adopted on the loop), which on a busy
// machine ends seconds after the quiet second, inside the first search; 20000 keeps it out.
// --idle <ms>: after the searches, wait this long and read the memory again (run the relay with
// KANSO_BENCH_DUPLICATES_KEEP_MS=<ms> below it to see a copy let go).
// --cpu-profile: the relay's main thread sampled from start to stop (Chrome DevTools); the first
// search's window is printed in the profile's clock (µs, CLOCK_MONOTONIC) to find it there.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { createRecord } from '../src/crdt/recordDoc'
import { seedDefaultSchema } from '../src/crdt/schemaDoc'
import { plantedContacts } from './measureDuplicates'
import { seedMembers, seedRelayStorage } from './seedRelayStorage'
import { startBenchRelay } from './startRelayProcess'
import { summarize } from './summarize'
import { readLoopLag } from './readLoopLag'

export interface DuplicatesLoopResult {
  contacts: number
  groups: number
  /** The first search after the relay started (the duplicates thread reads its copy first). */
  first: { ms: number; lagMaxMs: number; /** Its start and end in µs of CLOCK_MONOTONIC (a V8 CPU profile's clock). */ windowUs: [number, number] }
  /** Per search after an edit: GET → answer, and the relay's longest event-loop delay meanwhile. */
  searchMs: number[]
  lagMaxMs: number[]
  /** The relay's longest event-loop delay over the idle second before each search. */
  idleLagMaxMs: number[]
  /** Resident memory (MB) of the relay process and of its duplicates process (0: none) after the searches, and after `idleMs` more. */
  rssMb: { afterSearches: ProcessesRss; afterIdle: ProcessesRss | null }
  loadAverage: [start: number, end: number]
}

export interface ProcessesRss { relay: number; duplicates: number }

/** VmRSS of a process in MB (Linux), NaN elsewhere. */
function rssMbOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : NaN
}

/** The relay's RSS and its duplicates process's, if one runs (children found in /proc). */
function processesRss(relayPid: number): ProcessesRss {
  if (process.platform !== 'linux') return { relay: NaN, duplicates: NaN }
  let duplicates = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== relayPid) continue
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('duplicatesWorker')) duplicates += rssMbOf(Number(entry))
    } catch (error) {
      // a process that ended while it was read
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
  }
  return { relay: rssMbOf(relayPid), duplicates }
}

/** A second whose longest event-loop delay stays under this is quiet: the relay has finished loading. */
const QUIET_MS = 50

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A data directory with the default schema and B29's contacts, written as the app writes records. */
function seededDataDir(count: number): { dataDir: string; token: string } {
  const doc = new Y.Doc()
  const { rows } = plantedContacts(count)
  for (let from = 0; from < rows.length; from += 5000) {
    doc.transact(() => {
      for (const row of rows.slice(from, from + 5000)) createRecord(doc, row.values, { id: row.id, createdBy: 'm1', now: new Date(row.createdAt) }, 'seed')
    }, 'seed')
  }
  const schema = new Y.Doc()
  seedDefaultSchema(schema)
  const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-duplicates-'))
  const [admin] = seedMembers(dataDir, ['Bench Admin'])
  seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schema) }, { name: entityDocName('contacts'), update: Y.encodeStateAsUpdate(doc) }])
  return { dataDir, token: admin!.token }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

export async function measureDuplicatesLoop(options: { contacts?: number; searches?: number; cpuProfileFile?: string; settleMs?: number; idleMs?: number; onProgress?: (message: string) => void } = {}): Promise<DuplicatesLoopResult> {
  const count = options.contacts ?? 100_000
  const progress = options.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const { dataDir, token } = seededDataDir(count)
  const relay = await startBenchRelay(dataDir, { cpuProfileFile: options.cpuProfileFile })
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${relay.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as { data: { id: string; ids: string[] }[]; total: number }
    }
    // the API's copy and the room loaded, the threads' code read
    const someone = (await api('GET', '/contacts?limit=1')).data[0]!.id
    await api('PATCH', `/contacts/${someone}`, { position: 'Warm-up' })
    // the room's load finishes on the loop in its own time (seconds on a busy machine): the first search starts once a second passed quietly
    for (let tries = 0; tries < 30; tries++) {
      await readLoopLag(relay.url, true)
      await sleep(1000)
      if ((await readLoopLag(relay.url, false)).maxMs < QUIET_MS) break
    }
    await sleep(options.settleMs ?? 0)
    await readLoopLag(relay.url, true)
    let started = performance.now()
    const firstFrom = monotonicUs()
    const first = await api('GET', '/contacts/duplicates?limit=50')
    const windowUs: [number, number] = [firstFrom, monotonicUs()]
    const result: DuplicatesLoopResult = {
      contacts: count, groups: first.total, first: { ms: performance.now() - started, lagMaxMs: (await readLoopLag(relay.url, false)).maxMs, windowUs },
      searchMs: [], lagMaxMs: [], idleLagMaxMs: [], rssMb: { afterSearches: { relay: NaN, duplicates: NaN }, afterIdle: null }, loadAverage: [loadStart, NaN],
    }
    progress(`first search: ${result.first.ms.toFixed(0)} ms, relay loop stall max ${result.first.lagMaxMs.toFixed(0)} ms; ${first.total} groups (monotonic µs ${windowUs[0]}–${windowUs[1]})`)
    const edited = first.data[0]!.ids[0]!
    for (let k = 0; k < (options.searches ?? 5); k++) {
      await api('PATCH', `/contacts/${edited}`, { position: `Edit ${k}` })
      await readLoopLag(relay.url, true)
      await sleep(1000)
      result.idleLagMaxMs.push((await readLoopLag(relay.url, true)).maxMs)
      started = performance.now()
      await api('GET', '/contacts/duplicates?limit=50')
      result.searchMs.push(performance.now() - started)
      result.lagMaxMs.push((await readLoopLag(relay.url, false)).maxMs)
      progress(`search after edit ${k + 1}: ${result.searchMs.at(-1)!.toFixed(0)} ms, relay loop stall max ${result.lagMaxMs.at(-1)!.toFixed(0)} ms (idle second before: ${result.idleLagMaxMs.at(-1)!.toFixed(0)} ms)`)
    }
    result.rssMb.afterSearches = processesRss(relay.pid)
    if (options.idleMs) {
      await sleep(options.idleMs)
      result.rssMb.afterIdle = processesRss(relay.pid)
    }
    result.loadAverage[1] = loadavg()[0] ?? NaN
    return result
  } finally {
    // a graceful stop writes the CPU profile
    await (options.cpuProfileFile ? relay.stop() : relay.kill())
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'cpu-profile': { type: 'string' }, settle: { type: 'string' }, idle: { type: 'string' } } })
  const result = await measureDuplicatesLoop({ contacts: Number(positionals[0] ?? 100_000), searches: Number(positionals[1] ?? 5), cpuProfileFile: values['cpu-profile'], settleMs: Number(values.settle ?? 0), idleMs: Number(values.idle ?? 0), onProgress: (m) => console.log(m) })
  const median = (values: number[]) => summarize(values).median.toFixed(0)
  const rss = (r: ProcessesRss) => `relay ${r.relay.toFixed(0)} MB + duplicates process ${r.duplicates.toFixed(0)} MB`
  console.log(`${result.contacts.toLocaleString('en-US')} contacts, ${result.groups} groups: search after an edit ${median(result.searchMs)} ms median; relay loop stall max ${median(result.lagMaxMs)} ms median (${Math.max(...result.lagMaxMs).toFixed(0)} worst), idle second ${median(result.idleLagMaxMs)} ms median; load ${result.loadAverage[0].toFixed(1)} → ${result.loadAverage[1].toFixed(1)}`)
  console.log(`memory after the searches: ${rss(result.rssMb.afterSearches)}${result.rssMb.afterIdle ? `; ${values.idle} ms later: ${rss(result.rssMb.afterIdle)}` : ''}`)
}
