// `npm run bench [-- --quick] [-- --strict] [-- --relay-profile]`: see bench/README.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { entityDocName } from '../src/crdt/docNames'
import { PROJECT_ROOT } from '../server/config'
import type { BenchResults, LatencyResult, SizeResult } from './benchResults'
import { checkBudgets } from './budgets'
import { buildApp } from './buildApp'
import { copyDataDir } from './copyDataDir'
import { generateWorkspace } from './generateWorkspace'
import { machineInfo } from './machineInfo'
import { measureOpen } from './measureOpen'
import { measurePlainRows } from './measurePlainRows'
import { measureRelayLatency } from './measureRelayLatency'
import { printTable } from './printTable'
import { seedMembers, seedRelayStorage, type SeededMember } from './seedRelayStorage'
import { serveRowsJson } from './serveRowsJson'
import { startBenchRelay } from './startBenchRelay'
import { topSelfTime, type CpuProfile } from './topSelfTime'
import { warmRoom } from './warmRoom'

const HELP = `npm run bench -- [--quick] [--strict] [--relay-profile]
  --quick          10k contacts only (about 2–3 minutes)
  --strict         exit 1 when a budget from DESIGN.md fails (default: report only)
  --relay-profile  write a CPU profile of the relay during the latency test to bench/results/`

const RESULTS_DIR = join(PROJECT_ROOT, 'bench/results')
const APP_DIR = join(RESULTS_DIR, 'app')
const MEMBER_NAMES = ['Bench Admin', 'Ana Editor', 'Ben Editor', 'Cleo Editor', 'Dan Editor']
const LATENCY = { contacts: 10_000, clients: 20, editIntervalMs: 250, roundMs: 4000, rounds: 5 }
const OPEN_TIMEOUT_MS = 240_000

const log = (message: string) => console.log(message)

function parseFlags(argv: string[]): { quick: boolean; strict: boolean; relayProfile: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { quick: { type: 'boolean' }, strict: { type: 'boolean' }, 'relay-profile': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    })
    if (values.help) {
      log(HELP)
      process.exit(0)
    }
    return { quick: values.quick === true, strict: values.strict === true, relayProfile: values['relay-profile'] === true }
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${HELP}`)
    process.exit(2)
  }
}

interface PreparedWorkspace {
  templateDir: string
  members: SeededMember[]
  result: SizeResult
  contactRowsJson: string
  cityFieldId: string
}

/** Generates the workspace and seeds it into a relay data directory used as a template. */
function prepareWorkspace(contacts: number): PreparedWorkspace {
  const started = performance.now()
  const templateDir = mkdtempSync(join(tmpdir(), 'kanso-bench-template-'))
  const members = seedMembers(templateDir, MEMBER_NAMES)
  const workspace = generateWorkspace({ contacts, ownerIds: members.map((m) => m.id), onProgress: log })
  seedRelayStorage(templateDir, workspace.docs)
  const contactsDoc = workspace.docs.find((d) => d.name === entityDocName('contacts'))
  const generateMs = performance.now() - started
  log(`  seeded the relay storage in ${(generateMs / 1000).toFixed(1)} s (contacts doc ${((contactsDoc?.update.byteLength ?? 0) / 1e6).toFixed(1)} MB)`)
  return {
    templateDir,
    members,
    contactRowsJson: workspace.contactRowsJson,
    cityFieldId: workspace.contactFields.city,
    result: {
      contacts: workspace.contactCount,
      companies: Math.max(1, Math.round(contacts / 50)),
      contactsYjsBytes: contactsDoc?.update.byteLength ?? 0,
      contactsJsonBytes: Buffer.byteLength(workspace.contactRowsJson),
      generateMs,
      roomLoadMs: [],
      open: [],
      plainRows: [],
    },
  }
}

async function measureSize(prepared: PreparedWorkspace, reps: number): Promise<void> {
  const { result, members } = prepared
  const token = members[1]!.token
  const rows = await serveRowsJson(prepared.contactRowsJson)
  try {
    for (let rep = 1; rep <= reps; rep++) {
      const dataDir = copyDataDir(prepared.templateDir)
      const relay = await startBenchRelay(dataDir, APP_DIR)
      try {
        result.roomLoadMs.push(await warmRoom(relay.syncUrl, entityDocName('contacts'), token))
        const sample = await measureOpen({
          appUrl: relay.url, token, expectedRows: result.contacts, rowsUrl: rows.rowsUrl, timeoutMs: OPEN_TIMEOUT_MS, jsonParseRuns: 5,
          afterStoredOpen: () => relay.pause(),
        })
        result.open.push(sample)
        const parse = [...sample.jsonParseMs].sort((a, b) => a - b)[2] ?? NaN
        log(`  open ${rep}/${reps}: new profile ${(sample.fresh.shownMs / 1000).toFixed(2)} s, stored ${(sample.stored.shownMs / 1000).toFixed(2)} s, JSON.parse ${parse.toFixed(0)} ms, heap ${(sample.stored.heap.usedBytes / 1e6).toFixed(0)} MB`)
      } finally {
        // Killed, not stopped: a graceful stop would first compact whatever the clients wrote.
        await relay.kill()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
    result.plainRows = await measurePlainRows({ blankUrl: rows.blankUrl, rowsUrl: rows.rowsUrl, reps: 3, jsonParseRuns: 5 })
    log(`  plain rows: heap ${(result.plainRows[0]!.heapBytes / 1e6).toFixed(1)} MB`)
  } finally {
    await rows.close()
  }
}

async function measureLatency(prepared: PreparedWorkspace, relayProfile: string | undefined): Promise<LatencyResult> {
  const { clients, editIntervalMs, roundMs, rounds } = LATENCY
  const out: LatencyResult = { contacts: prepared.result.contacts, clients, editIntervalMs, roundMs }
  const dataDir = copyDataDir(prepared.templateDir)
  const relay = await startBenchRelay(dataDir, APP_DIR, relayProfile)
  try {
    out.result = await measureRelayLatency({
      syncUrl: relay.syncUrl, token: prepared.members[2]!.token, docName: entityDocName('contacts'), fieldId: prepared.cityFieldId,
      clients, editIntervalMs, roundMs, rounds, onProgress: log,
    })
  } finally {
    await relay.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (relayProfile) {
    log(`  relay CPU profile: ${relayProfile}; top self time:`)
    for (const e of topSelfTime(JSON.parse(readFileSync(relayProfile, 'utf8')) as CpuProfile, 8)) {
      log(`    ${e.ms.toFixed(0).padStart(7)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name}  ${e.where}`)
    }
  }
  return out
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2))
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const machine = machineInfo()
  log(`Kanso bench${flags.quick ? ' --quick' : ''}: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB RAM, Node ${machine.node}, ${machine.chromium}, load ${machine.loadAverage.toFixed(2)}`)
  mkdirSync(RESULTS_DIR, { recursive: true })

  log('· building the app (vite build → bench/results/app)')
  await buildApp(APP_DIR)

  const sizes = flags.quick ? [10_000] : [10_000, 100_000]
  const results: BenchResults = { startedAt, durationMs: 0, machine, loadAverageAtEnd: NaN, flags: { quick: flags.quick, strict: flags.strict }, sizes: [], latency: null }
  let failedToMeasure = false
  for (const contacts of sizes) {
    log(`· ${contacts.toLocaleString('en-US')} contacts`)
    const prepared = prepareWorkspace(contacts)
    results.sizes.push(prepared.result)
    try {
      await measureSize(prepared, contacts >= 100_000 ? 3 : 5)
      if (contacts === LATENCY.contacts) {
        log(`· edit latency through the relay, ${LATENCY.clients} clients`)
        const profile = flags.relayProfile ? join(RESULTS_DIR, `relay-latency-${startedAt.replace(/[:.]/g, '-')}.cpuprofile`) : undefined
        try {
          results.latency = await measureLatency(prepared, profile)
        } catch (error) {
          failedToMeasure = true
          results.latency = { contacts, clients: LATENCY.clients, editIntervalMs: LATENCY.editIntervalMs, roundMs: LATENCY.roundMs, error: (error as Error).message }
          log(`  relay latency failed: ${(error as Error).message}`)
        }
      }
    } catch (error) {
      failedToMeasure = true
      prepared.result.error = (error as Error).message
      log(`  failed: ${(error as Error).message}`)
    } finally {
      rmSync(prepared.templateDir, { recursive: true, force: true })
    }
  }

  results.durationMs = performance.now() - started
  results.loadAverageAtEnd = loadavg()[0] ?? NaN
  const file = join(RESULTS_DIR, `bench-${startedAt.replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify({ ...results, budgets: checkBudgets(results) }, null, 2))
  log('')
  log(printTable(results))
  log(`took ${(results.durationMs / 60_000).toFixed(1)} min; results saved to ${file.slice(PROJECT_ROOT.length + 1)}`)

  if (failedToMeasure) return 1
  const failed = checkBudgets(results).filter((c) => c.pass === false)
  return flags.strict && failed.length > 0 ? 1 : 0
}

process.exitCode = await main()
