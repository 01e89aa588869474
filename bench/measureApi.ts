// B11–B13: the REST API v1 on the 100k-record workspace (issue 13). Part of `npm run bench`
// (`--only api` runs it alone).
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { PROJECT_ROOT } from '../server/config'
import { entityDocName } from '../src/crdt/docNames'
import type { CreateLoadConfig, CreateLoadResult } from './apiCreateLoadMain'
import { apiRequest } from './apiRequest'
import { copyDataDir } from './copyDataDir'
import { measureRelayLatency, type RelayLatencyResult } from './measureRelayLatency'
import type { PreparedWorkspace } from './prepareWorkspace'
import { startBenchRelay, type RelayProcess } from './startRelayProcess'
import { percentile } from './summarize'
import { warmRoom } from './warmRoom'
import { readLoopLag } from './readLoopLag'

export interface MeasureApiOptions {
  prepared: PreparedWorkspace
  /** Rounds of reads and of creates; one p99 per round. */
  rounds: number
  readsPerRound: number
  createsPerRound: number
  /** B13: creates per second sent while the B6 clients edit. */
  createsPerSecond: number
  /** B6's clients, as B6 runs them. */
  latency: { clients: number; editIntervalMs: number; roundMs: number; rounds: number }
  onProgress?: (message: string) => void
}

export interface FirstRead { entity: string; records: number; ms: number; status: number; lag: LoopLagSnapshot }

export interface ApiBenchResult {
  /** The first request on each entity: the relay loads its copy of the document. */
  firstReads: FirstRead[]
  /** B11: per round, p99 of GET 50 filtered contacts. */
  readP99Ms: number[]
  readP50Ms: number[]
  /** Per read query, ms of every request (over the rounds). */
  readsByQuery: Record<string, number[]>
  /** The first create on the entity (the relay loads the document's room). */
  firstCreateMs: number
  /** B12: per round, p99 of POST one contact. */
  createP99Ms: number[]
  createP50Ms: number[]
  /** B13: the create load and B6's clients at the same time. */
  underLoad: { creates: Omit<CreateLoadResult, 'latencyMs'> & { p50Ms: number; p99Ms: number }; latency: RelayLatencyResult; lag: LoopLagSnapshot } | null
  underLoadError?: string
  loadAverage: [start: number, end: number]
}

const READ_ENTITY = 'contacts'
const CREATE_ENTITY = 'contacts'
/** B13's creates go to another document than the one B6's clients have open (see README): 20 in-process clients applying 300 foreign records/s would measure the bench, not the relay. */
const LOAD_ENTITY = 'activities'
const RELAY_ENV = { KANSO_API_RATE_PER_S: 'off' }
/** B13's creates unanswered at most (a connection pool's size); more due are skipped and counted. */
const MAX_IN_FLIGHT = 32

const p = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q)

/** The filtered reads B11 cycles through: equality, a number range with a sort, two filters, a date range, and a text search with a filter. */
function readQueries(ownerId: string): Record<string, string> {
  return {
    'city=': `/${READ_ENTITY}?city=Berlin&limit=50`,
    'score[gte] sort': `/${READ_ENTITY}?score[gte]=90&sort=-score&limit=50`,
    'owner= vip=': `/${READ_ENTITY}?owner=${ownerId}&vip=true&limit=50`,
    'last_contact range sort': `/${READ_ENTITY}?last_contact[gte]=2026-06-01&last_contact[lt]=2026-07-01&sort=last_contact&limit=50`,
    'q + city=': `/${READ_ENTITY}?q=head%20sales&city=Paris&limit=50`,
  }
}

function createBody(i: number): Record<string, unknown> {
  return { first_name: 'Api', last_name: `Lead ${i}`, email: `api.lead${i}@example.com`, city: 'Berlin', score: i % 100, budget: { amount: 1234.5, currency: 'EUR' }, last_contact: '2026-11-27', vip: i % 7 === 0 }
}

async function expectStatus(answer: Promise<{ status: number; body: string; ms: number }>, status: number, what: string) {
  const a = await answer
  if (a.status !== status) throw new Error(`${what}: ${a.status} ${a.body.slice(0, 300)}`)
  return a
}

interface CreateLoad { result(): Promise<CreateLoadResult>; kill(): void }

/** bench/apiCreateLoadMain.ts in its own process, creating at `config.perSecond` until result(). */
async function startCreateLoad(config: CreateLoadConfig): Promise<CreateLoad> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/apiCreateLoadMain.ts')], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const kill = () => { child.kill('SIGKILL') }
  process.on('exit', kill)
  child.once('exit', () => process.off('exit', kill))
  const next = (type: string) => new Promise<{ type: string; result?: CreateLoadResult }>((resolve, reject) => {
    const onMessage = (m: { type: string; result?: CreateLoadResult }) => {
      if (m.type !== type) return
      child.off('message', onMessage)
      resolve(m)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`the create load process exited with ${code}`)))
  })
  await next('ready')
  child.send({ type: 'start', config })
  await next('started')
  return {
    async result() {
      const done = next('result')
      child.send({ type: 'stop' })
      return (await done).result!
    },
    kill,
  }
}

/**
 * On a new relay process over a copy of the prepared workspace (API rate limit off, as an
 * integration with its own limit would be configured): the first read of each entity (the copy
 * loads, with the relay's loop lag meanwhile); B11 `rounds` × `readsPerRound` filtered reads of
 * 50 contacts, one at a time; B12 `rounds` × `createsPerRound` creates of a contact after a first
 * one that loads the room; B13 B6's clients on entity-contacts while another process creates
 * `createsPerSecond` activities.
 */
export async function measureApi(o: MeasureApiOptions): Promise<ApiBenchResult> {
  const progress = o.onProgress ?? (() => {})
  const loadStart = loadavg()[0] ?? NaN
  const { prepared } = o
  const token = prepared.members[3]!.token
  const dataDir = copyDataDir(prepared.templateDir)
  let relay: RelayProcess | null = null
  try {
    relay = await startBenchRelay(dataDir, { env: RELAY_ENV })
    const url = relay.url
    const firstReads: FirstRead[] = []
    for (const entity of [READ_ENTITY, LOAD_ENTITY]) {
      await readLoopLag(url, true)
      const a = await apiRequest(url, 'GET', `/${entity}?limit=50`, token)
      const lag = await readLoopLag(url, false)
      firstReads.push({ entity, records: prepared.workspace.counts[entity as keyof typeof prepared.workspace.counts], ms: a.ms, status: a.status, lag })
      progress(`  first read of ${entity}: ${a.status} in ${a.ms.toFixed(0)} ms, relay loop lag max ${lag.maxMs.toFixed(0)} ms`)
    }

    const queries = readQueries(prepared.members[1]!.id)
    const readsByQuery: Record<string, number[]> = Object.fromEntries(Object.keys(queries).map((k) => [k, []]))
    const names = Object.keys(queries)
    for (const [name, path] of Object.entries(queries)) {
      const a = await expectStatus(apiRequest(url, 'GET', path, token), 200, `GET ${path}`)
      const rows = (JSON.parse(a.body) as { data: unknown[] }).data.length
      if (rows === 0) throw new Error(`GET ${path} (${name}) found no contacts: the read measures nothing`)
    }
    const readP99Ms: number[] = []
    const readP50Ms: number[] = []
    for (let round = 0; round < o.rounds; round++) {
      const ms: number[] = []
      for (let i = 0; i < o.readsPerRound; i++) {
        const name = names[i % names.length]!
        const a = await expectStatus(apiRequest(url, 'GET', queries[name]!, token), 200, `GET ${queries[name]}`)
        ms.push(a.ms)
        readsByQuery[name]!.push(a.ms)
      }
      readP99Ms.push(p(ms, 0.99))
      readP50Ms.push(p(ms, 0.5))
      progress(`  B11 round ${round + 1}/${o.rounds}: GET 50 filtered contacts p50 ${readP50Ms.at(-1)!.toFixed(1)} ms, p99 ${readP99Ms.at(-1)!.toFixed(1)} ms`)
    }

    const first = await expectStatus(apiRequest(url, 'POST', `/${CREATE_ENTITY}`, token, createBody(0)), 201, `POST /${CREATE_ENTITY}`)
    progress(`  first create (the relay loads the ${CREATE_ENTITY} room): ${first.ms.toFixed(0)} ms`)
    const createP99Ms: number[] = []
    const createP50Ms: number[] = []
    let n = 1
    for (let round = 0; round < o.rounds; round++) {
      const ms: number[] = []
      for (let i = 0; i < o.createsPerRound; i++) {
        ms.push((await expectStatus(apiRequest(url, 'POST', `/${CREATE_ENTITY}`, token, createBody(n++)), 201, `POST /${CREATE_ENTITY}`)).ms)
      }
      createP99Ms.push(p(ms, 0.99))
      createP50Ms.push(p(ms, 0.5))
      progress(`  B12 round ${round + 1}/${o.rounds}: POST a contact p50 ${createP50Ms.at(-1)!.toFixed(1)} ms, p99 ${createP99Ms.at(-1)!.toFixed(1)} ms`)
    }

    let underLoad: ApiBenchResult['underLoad'] = null
    let underLoadError: string | undefined
    try {
      underLoad = await measureUnderLoad(o, relay, token)
    } catch (error) {
      underLoadError = (error as Error).message
      progress(`  B13 failed: ${underLoadError}`)
    }
    return {
      firstReads, readP99Ms, readP50Ms, readsByQuery, firstCreateMs: first.ms, createP99Ms, createP50Ms, underLoad, underLoadError,
      loadAverage: [loadStart, loadavg()[0] ?? NaN],
    }
  } finally {
    // Killed, not stopped: its data is thrown away, a graceful stop would first compact it.
    await relay?.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function measureUnderLoad(o: MeasureApiOptions, relay: RelayProcess, token: string): Promise<NonNullable<ApiBenchResult['underLoad']>> {
  const progress = o.onProgress ?? (() => {})
  const { workspace, members } = o.prepared
  // an activity as an integration logs one: related to a contact, owned by a member
  const contactId = (JSON.parse(workspace.rowsJson.contacts) as { id: string }[])[0]?.id
  const bodies = [0, 1, 2, 3].map((k) => ({ type: 'call', subject: `API call {i}`, due: '2026-11-27T14:05:00Z', done: k % 2 === 0, owner: members[k + 1]!.id, ...(contactId ? { related: contactId } : {}) }))
  const warm = await warmRoom(relay.syncUrl, entityDocName(LOAD_ENTITY), members[2]!.token)
  progress(`  the relay loaded entity-${LOAD_ENTITY} in ${(warm / 1000).toFixed(1)} s`)
  let load: CreateLoad | null = null
  let lag: LoopLagSnapshot | null = null
  try {
    const latency = await measureRelayLatency({
      syncUrl: relay.syncUrl, token: members[2]!.token, docName: entityDocName('contacts'), fieldId: workspace.contactFields.city,
      baseUpdate: workspace.editedContacts.update, ...o.latency, onProgress: progress,
      beforeRounds: async () => {
        load = await startCreateLoad({ url: relay.url, token, entity: LOAD_ENTITY, perSecond: o.createsPerSecond, maxInFlight: MAX_IN_FLIGHT, bodies })
        await readLoopLag(relay.url, true)
      },
    })
    // stopped first: the relay answers the lag request after the creates ahead of it
    const created = await (load as CreateLoad | null)!.result()
    load = null
    lag = await readLoopLag(relay.url, false)
    const { latencyMs, ...rest } = created
    const creates = { ...rest, p50Ms: p(latencyMs, 0.5), p99Ms: p(latencyMs, 0.99) }
    const refused = Object.entries(created.refused).map(([status, r]) => `${r.count}× ${status} (${r.first})`).join('; ')
    progress(`  B13: ${creates.createdPerSecond.toFixed(0)} creates/s answered 201 (${created.created} of ${created.sent} sent in ${(created.durationMs / 1000).toFixed(1)} s, ${created.skipped} skipped with ${MAX_IN_FLIGHT} unanswered${refused ? `; refused ${refused}` : ''}), create p50 ${creates.p50Ms.toFixed(1)} ms p99 ${creates.p99Ms.toFixed(1)} ms; relay loop lag p99 ${lag.p99Ms.toFixed(1)} ms`)
    return { creates, latency, lag }
  } finally {
    ;(load as CreateLoad | null)?.kill()
  }
}
