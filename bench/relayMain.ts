// Child-process entry: the real relay (startRelay, configured as `kanso serve` runs it: document
// workers started at once, rate limits from KANSO_RATE_LIMIT_* and KANSO_API_RATE_PER_S / KANSO_API_BURST) over <dataDir>, no schema seeding,
// event-loop lag at /debug/loop-lag.
// Run as: node --import tsx bench/relayMain.ts <dataDir> [--dist <appDir>] [--cpu-profile <file>]
// Log lines are dropped unless KANSO_BENCH_RELAY_LOG=1 (printing costs the relay CPU).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'
import { resolveApiRateLimit, resolveRateLimits } from '../server/config'
import { silentLogger } from '../server/relayLogger'
import { startRelay } from '../server/startRelay'
import { logGcPauses } from './logGcPauses'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string' }, 'cpu-profile': { type: 'string' } } })
const [dataDir] = positionals
if (!dataDir) {
  console.error('usage: relayMain.ts <dataDir> [--dist <appDir>] [--cpu-profile <file>]')
  process.exit(2)
}
const cpuProfileFile = values['cpu-profile']
// With a profile file: sample the relay's CPU from start to stop (open it in Chrome DevTools).
const profiler = cpuProfileFile ? new Session() : null
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  // KANSO_BENCH_PROFILE_INTERVAL_US: finer samples to see what a millisecond's stall is made of
  if (process.env.KANSO_BENCH_PROFILE_INTERVAL_US) await profiler.post('Profiler.setSamplingInterval', { interval: Number(process.env.KANSO_BENCH_PROFILE_INTERVAL_US) })
  await profiler.post('Profiler.start')
  // the profile's times are monotonic microseconds: this pair maps them to epoch ms (the phase log's)
  console.log(`KANSO_CLOCK monotonicMs=${(Number(process.hrtime.bigint()) / 1e6).toFixed(3)} epochMs=${(performance.timeOrigin + performance.now()).toFixed(3)}`)
}
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  distDir: values.dist ?? null,
  seedSchema: null,
  debugLoopLag: true,
  rateLimits: resolveRateLimits(process.env),
  apiRateLimit: resolveApiRateLimit(process.env),
  // KANSO_BENCH_SYNC_OPTIONS: JSON merged into the sync server's options, for A/B runs (e.g. {"compactAfterRows":5000})
  sync: { startWorkers: true, ...(process.env.KANSO_BENCH_SYNC_OPTIONS ? (JSON.parse(process.env.KANSO_BENCH_SYNC_OPTIONS) as object) : {}) },
  logger: process.env.KANSO_BENCH_RELAY_LOG === '1' ? undefined : silentLogger,
  // KANSO_BENCH_DUPLICATES_KEEP_MS: how long the duplicates search keeps an unused copy (measureDuplicatesLoop --idle)
  duplicatesKeepMs: process.env.KANSO_BENCH_DUPLICATES_KEEP_MS ? Number(process.env.KANSO_BENCH_DUPLICATES_KEEP_MS) : undefined,
})
console.log(`KANSO_LISTENING port=${relay.port}`)
// Diagnostics: every GC pause to a file (`<epoch ms> <kind> <ms>`, kind 1 = scavenge), and a
// sampling heap profile of everything allocated, collected or not (written when stopped).
const gcLog = process.env.KANSO_BENCH_GC_LOG
if (gcLog) logGcPauses(gcLog)
const heapFile = process.env.KANSO_BENCH_HEAP_PROFILE
const heapSession = heapFile ? new Session() : null
if (heapSession) {
  heapSession.connect()
  await heapSession.post('HeapProfiler.enable')
  // (flags newer than @types/node's HeapProfiler typing)
  await heapSession.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never)
}

// KANSO_BENCH_LIVE_HEAP=<file>: SIGUSR2 starts a sampling heap profile of what is allocated, the
// next SIGUSR2 writes what of it is still alive (what survives: what makes scavenges slow), or
// with KANSO_BENCH_LIVE_HEAP_ALL=1 everything allocated in between (what makes scavenges often), with
// =promoted what outlived the young generation, garbage or not (what makes major GCs often).
const liveHeapFile = process.env.KANSO_BENCH_LIVE_HEAP
if (liveHeapFile) {
  const session = new Session()
  session.connect()
  await session.post('HeapProfiler.enable')
  let sampling = false
  process.on('SIGUSR2', () => {
    const toggled = sampling
      ? session.post('HeapProfiler.stopSampling').then(({ profile }) => writeFileSync(liveHeapFile, JSON.stringify(profile)))
      : session.post('HeapProfiler.startSampling', { samplingInterval: 256, ...(process.env.KANSO_BENCH_LIVE_HEAP_ALL === '1' ? { includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } : process.env.KANSO_BENCH_LIVE_HEAP_ALL === 'promoted' ? { includeObjectsCollectedByMajorGC: true } : {}) } as never)
    sampling = !sampling
    toggled.catch((error: unknown) => console.error(`live heap profile failed: ${(error as Error).message}`))
  })
}

async function stop(): Promise<void> {
  if (heapSession && heapFile) {
    const { profile } = await heapSession.post('HeapProfiler.stopSampling')
    writeFileSync(heapFile, JSON.stringify(profile))
  }
  if (profiler && cpuProfileFile) {
    const { profile } = await profiler.post('Profiler.stop')
    writeFileSync(cpuProfileFile, JSON.stringify(profile))
  }
  await relay.close()
}
const onSignal = () => {
  stop().then(() => process.exit(0), (error: unknown) => {
    console.error(`relay stop failed: ${(error as Error).message}`)
    process.exit(1)
  })
}
process.on('SIGTERM', onSignal)
process.on('SIGINT', onSignal)
