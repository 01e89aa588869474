import type { RowSnapshot, RowSnapshotHead } from '../sync/workerProtocol'
import type { BootGlobals, BootRead, BootReply, BootRequest } from './bootProtocol'
import { bootEntity, bootToken } from './bootLocation'
import { readStoredHead } from './bootReader'
import { deferWorker } from '../sync/deferredWorker'

/*
 * The boot script: the build inlines it into index.html (build/inlineBootScript.ts, with its
 * sha256 in the relay's Content-Security-Policy), so it runs while the HTML is parsed, before
 * the app's bundle has loaded. It reads the stored head of the list in the address bar, has the
 * boot worker read the rest of its snapshot (on a first visit at once, from the relay; else once
 * the page wants it) and, on a first visit, asks the relay for the schema and the member now
 * rather than after the app has started. The app takes the answers over (src/sync/bootSnapshot.ts,
 * src/ui/session/bootMe.ts).
 */

/** The boot worker's URL, set by the build (a hashed same-origin file, so no `blob:` in worker-src). */
declare const KANSO_BOOT_WORKER_URL: string

const scope = window as Window & BootGlobals
/** After a head read on the page, the whole snapshot is read at the latest this much later, asked or not (bootWorker.ts waits as long). */
const REST_AFTER_HEAD_MS = 5000

/** localStorage's value, or null when there is none or the browser refuses storage (then the app asks for a token). */
function stored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch (error) {
    console.warn(`boot: localStorage is unavailable: ${(error as Error).message}`)
    return null
  }
}

/** The head stored on this device (see readStoredHead), or null when there is none or storage is refused. */
function storedHead(entity: string): Promise<RowSnapshotHead | null> {
  try {
    return readStoredHead(indexedDB, entity)
  } catch (error) {
    // `indexedDB` itself throws where the browser refuses storage: the worker tries as before
    console.warn(`boot: IndexedDB is unavailable: ${(error as Error).message}`)
    return Promise.resolve(null)
  }
}

/**
 * The boot worker's reading of `entity`: the worker starts on `start()`, or when the page asks for
 * the rest. On a device with the head stored, the page reads it itself (storedHead) and the worker
 * is only needed for the whole snapshot, once the first rows are on screen.
 */
function bootWorker(entity: string, token: string | null): Pick<BootRead, 'head' | 'snapshot' | 'rest'> & { start(): void } {
  let settleHead!: (head: RowSnapshotHead | null) => void
  let settleFull!: (full: RowSnapshot | null) => void
  const head = new Promise<RowSnapshotHead | null>((resolve) => (settleHead = resolve))
  const snapshot = new Promise<RowSnapshot | null>((resolve) => (settleFull = resolve))
  const none = () => {
    settleHead(null)
    settleFull(null)
  }
  const worker = deferWorker<BootRequest>(() => {
    let started: Worker
    try {
      started = new Worker(KANSO_BOOT_WORKER_URL, { name: 'kanso-boot' })
    } catch (error) {
      // the workspace worker sends the snapshot instead, a little later; nothing to post to
      console.warn(`boot: the boot worker did not start: ${(error as Error).message}`)
      none()
      return { postMessage: () => {} }
    }
    const end = () => {
      none()
      started.terminate()
    }
    started.onmessage = (event: MessageEvent<BootReply>) => {
      const reply = event.data
      if ('head' in reply) settleHead(reply.head)
      else {
        settleHead(null)
        settleFull(reply.full)
        end()
      }
    }
    started.onerror = end
    return started
  }, (request) => request.type === 'read')
  worker.post({ type: 'read', entity, token })
  return { head, snapshot, rest: () => worker.post({ type: 'rest' }), start: worker.start }
}

const entity = bootEntity(location.pathname)
const token = bootToken(location.hash, stored('kanso.token'))
// this device's head, read here at once; else the worker's (the relay's first rows on a first visit)
const storedFirst = storedHead(entity)
const reading = bootWorker(entity, token)
// A device that has opened the workspace before (its schema is kept) has most likely stored this
// list's head: the worker then waits for the page's own read of it, and with the head found, for
// the page to want the rest — its start (a thread, an isolate, IndexedDB opened again: 40–50 ms
// of CPU) shared the 2 cores with the bundle's parse and the grid's build (bench B1).
const visited = stored('kanso:schema') !== null
if (!visited) reading.start()
const head = storedFirst.then((stored) => {
  if (!stored) {
    reading.start()
    return reading.head
  }
  // as the worker itself does after a head: the whole snapshot at the latest this much later
  setTimeout(reading.rest, REST_AFTER_HEAD_MS)
  return stored
})
const ask = (path: string) => fetch(path, { headers: { Authorization: `Bearer ${token}` } })
// a first visit has no schema on this device: ask for it now, not once the app's schema document has synced
const schema = token && !visited
  ? ask('/api/schema').then((res) => (res.ok ? (res.json() as Promise<unknown>) : null), () => null)
  : null
// a first visit (nobody known on this device yet): who the token belongs to, while the app's code loads
if (token && !stored('kanso.member')) scope.__kansoBootMe = { token, response: ask('/api/me') }
scope.__kansoBoot = { entity, ...reading, head, schema }
