import type { RowSnapshot, RowSnapshotHead } from '../sync/workerProtocol'
import type { BootGlobals, BootRead, BootReply, BootRequest } from './bootProtocol'
import { bootEntity, bootToken } from './bootLocation'
import { readStoredHead } from './bootReader'

/*
 * The boot script: the build inlines it into index.html (build/inlineBootScript.ts, with its
 * sha256 in the relay's Content-Security-Policy), so it runs while the HTML is parsed, before
 * the app's bundle has loaded. It starts the boot worker on the snapshot of the list in the
 * address bar and, on a first visit, asks the relay for the schema and the member now rather
 * than after the app has started. The app takes the answers over (src/sync/bootSnapshot.ts,
 * src/ui/session/bootMe.ts).
 */

/** The boot worker's URL, set by the build (a hashed same-origin file, so no `blob:` in worker-src). */
declare const KANSO_BOOT_WORKER_URL: string

const scope = window as Window & BootGlobals

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

function startBootWorker(entity: string, token: string | null): Pick<BootRead, 'head' | 'snapshot' | 'rest'> {
  let settleHead!: (head: RowSnapshotHead | null) => void
  let settleFull!: (full: RowSnapshot | null) => void
  const head = new Promise<RowSnapshotHead | null>((resolve) => (settleHead = resolve))
  const snapshot = new Promise<RowSnapshot | null>((resolve) => (settleFull = resolve))
  let worker: Worker
  try {
    worker = new Worker(KANSO_BOOT_WORKER_URL, { name: 'kanso-boot' })
  } catch (error) {
    // the workspace worker sends the snapshot instead, a little later
    console.warn(`boot: the boot worker did not start: ${(error as Error).message}`)
    return { head: Promise.resolve(null), snapshot: Promise.resolve(null), rest: () => {} }
  }
  const end = () => {
    settleHead(null)
    settleFull(null)
    worker.terminate()
  }
  worker.onmessage = (event: MessageEvent<BootReply>) => {
    const reply = event.data
    if ('head' in reply) settleHead(reply.head)
    else {
      settleHead(null)
      settleFull(reply.full)
      end()
    }
  }
  worker.onerror = end
  const send = (request: BootRequest) => worker.postMessage(request)
  send({ type: 'read', entity, token })
  return { head, snapshot, rest: () => send({ type: 'rest' }) }
}

const entity = bootEntity(location.pathname)
const token = bootToken(location.hash, stored('kanso.token'))
// this device's head, read here at once; else the worker's (the relay's first rows on a first visit)
const storedFirst = storedHead(entity)
const reading = startBootWorker(entity, token)
const head = storedFirst.then((stored) => stored ?? reading.head)
const ask = (path: string) => fetch(path, { headers: { Authorization: `Bearer ${token}` } })
// a first visit has no schema on this device: ask for it now, not once the app's schema document has synced
const schema = token && !stored('kanso:schema')
  ? ask('/api/schema').then((res) => (res.ok ? (res.json() as Promise<unknown>) : null), () => null)
  : null
// a first visit (nobody known on this device yet): who the token belongs to, while the app's code loads
if (token && !stored('kanso.member')) scope.__kansoBootMe = { token, response: ask('/api/me') }
scope.__kansoBoot = { entity, ...reading, head, schema }
