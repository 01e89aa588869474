// An import made offline, then the reconnect: a member's browser (CompactSyncedDoc, the app's own
// sync client for entity documents, in Node with fake-indexeddb) writes N contacts in import
// batches while offline, then goes online. Measured: the messages it sends after reconnecting
// (count, biggest, total), the pending counts its status shows meanwhile, until the relay has
// acknowledged everything and a second browser shows every row, and the relay's event-loop lag
// (its own process, /debug/loop-lag) from going online until 8 s after both are done.
// Standalone: npx tsx bench/measureOfflineImport.ts [rows…]   (default 10000 50000)
import 'fake-indexeddb/auto'
import { pathToFileURL } from 'node:url'
import WebSocket from 'ws'
import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'
import { seededRandom } from '../src/domain/seededRandom'
import { CompactSyncedDoc } from '../src/sync/compactSyncedDoc'
import { openKeyValueStore } from '../src/sync/keyValueStore'
import { startOfflineImportRelay } from './startOfflineImportRelay'
import { listSteps, mib, seconds } from './formatUpload'
import { readLoopLag } from './readLoopLag'

export interface OfflineImportResult {
  rows: number
  /** Messages carrying updates (sync step 2 or update) the importer sent after reconnecting. */
  messages: number
  biggestBytes: number
  totalBytes: number
  /** Distinct pending counts the importer's status showed between going online and synced. */
  pendingSteps: number[]
  /** Going online → the importer's status says synced with nothing pending. */
  acknowledgedMs: number
  /** Going online → the second browser holds every row. */
  seenMs: number
  lag: LoopLagSnapshot
  /** Why the run stopped early (the status refused, a timeout), if it did. */
  failure: string | null
}

const DOC = 'entity-contacts'
const BATCH = 1000
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Олег', 'Мария', 'Yuki', 'José']
const LAST = ['Müller', 'Schmidt', 'Lee', 'García', 'Rossi', 'Novak', 'Иванова', 'Tanaka', 'Dubois', 'Nowak']

/** The relay's loop is watched this long after both are done. */
const SETTLE_MS = 8000

/** Counts the update-carrying messages a socket sends (y-websocket: type 0, sub-type 1 or 2). */
function countingSocket(sent: number[]): typeof globalThis.WebSocket {
  class CountingSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      const send = this.send.bind(this) as (data: Uint8Array) => void
      this.send = ((data: Uint8Array) => {
        if (data[0] === 0 && (data[1] === 1 || data[1] === 2)) sent.push(data.byteLength)
        send(data)
      }) as WebSocket['send']
    }
  }
  return CountingSocket as unknown as typeof globalThis.WebSocket
}

let browsers = 0
function browserOptions(syncUrl: string, token: string, socket: typeof globalThis.WebSocket) {
  browsers++
  // KANSO_BENCH_PIECE_BYTES: the upload's piece size (CompactSyncedDoc's uploadPieceBytes), for A/B runs
  const pieceBytes = process.env.KANSO_BENCH_PIECE_BYTES ? Number(process.env.KANSO_BENCH_PIECE_BYTES) : undefined
  return { name: DOC, syncUrl, token, storePrefix: `kanso-bench-${browsers}-`, meta: openKeyValueStore(`kanso-bench-meta-${browsers}`), WebSocket: socket, uploadPieceBytes: pieceBytes }
}

async function until(check: () => boolean, what: string, timeoutMs: number, failed: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    const failure = failed()
    if (failure) throw new Error(failure)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function measureOfflineImport(rows: number, timeoutMs = 300_000): Promise<OfflineImportResult> {
  const { relay, rep: admin, teammate, close } = await startOfflineImportRelay(rows)
  const sent: number[] = []
  const rep = new CompactSyncedDoc(browserOptions(relay.syncUrl, admin.token, countingSocket(sent)))
  const watcher = new CompactSyncedDoc(browserOptions(relay.syncUrl, teammate.token, WebSocket as unknown as typeof globalThis.WebSocket))
  let seen = 0
  watcher.onRows((patch) => { seen += patch.added.length })
  try {
    await Promise.all([rep.whenSynced, watcher.whenSynced])
    rep.goOffline()
    const random = seededRandom(27)
    const now = new Date()
    for (let at = 0; at < rows; at += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, rows - at) }, (_, k) => {
        const i = at + k
        return { id: `c${i}`, values: { 'contacts.first_name': random.pick(FIRST), 'contacts.last_name': random.pick(LAST), 'contacts.email': `contact${i}@example${i % 97}.com`, 'contacts.phone': `+4930${random.int(2_000_000, 9_999_999)}` } }
      })
      await rep.commit(rep.store.createRecords(batch, { createdBy: admin!.id, now })).stored
    }
    sent.length = 0
    await new Promise((r) => setTimeout(r, 1000))
    await readLoopLag(relay.url, true)
    const pendingSteps: number[] = []
    rep.onStatus((s) => { if (pendingSteps.at(-1) !== s.pending) pendingSteps.push(s.pending) })
    const refused = () => (rep.getStatus().state === 'refused' ? `the relay refused the importer (close code ${rep.getStatus().closeCode ?? '?'})` : null)
    const started = performance.now()
    rep.goOnline()
    let acknowledgedMs = NaN
    let seenMs = NaN
    let failure: string | null = null
    try {
      await Promise.all([
        until(() => rep.getStatus().state === 'synced', 'the importer synced', timeoutMs, refused).then(() => { acknowledgedMs = performance.now() - started }),
        until(() => seen >= rows, `the second browser showing ${rows} rows`, timeoutMs, refused).then(() => { seenMs = performance.now() - started }),
      ])
    } catch (error) {
      failure = (error as Error).message
    }
    // the relay's work after storing (record history, search, webhooks) follows the forwards: count its stalls too
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    const lag = await readLoopLag(relay.url, false)
    return { rows, messages: sent.length, biggestBytes: Math.max(0, ...sent), totalBytes: sent.reduce((a, b) => a + b, 0), pendingSteps, acknowledgedMs, seenMs, lag, failure }
  } finally {
    rep.destroy()
    watcher.destroy()
    await close()
  }
}

export function formatOfflineImport(r: OfflineImportResult): string {
  const steps = listSteps(r.pendingSteps)
  return [
    `offline import of ${r.rows.toLocaleString('en-US')} contacts, then online:`,
    `  sent ${r.messages} update message(s), biggest ${mib(r.biggestBytes)}, total ${mib(r.totalBytes)}`,
    `  pending shown: ${steps}`,
    `  all acknowledged after ${seconds(r.acknowledgedMs)}; the second browser shows every row after ${seconds(r.seenMs)}`,
    `  relay loop lag p99 ${r.lag.p99Ms.toFixed(1)} ms, max ${r.lag.maxMs.toFixed(0)} ms`,
    ...(r.failure ? [`  FAILED: ${r.failure}`] : []),
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const counts = process.argv.slice(2).map(Number)
  for (const rows of counts.length ? counts : [10_000, 50_000]) console.log(formatOfflineImport(await measureOfflineImport(rows)))
}
