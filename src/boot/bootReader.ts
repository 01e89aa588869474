import { isRowSnapshot, isRowSnapshotHead, snapshotHeadKey, SNAPSHOT_HEAD_ROWS, type RowSnapshot, type RowSnapshotHead } from '../sync/workerProtocol'
import type { BootReply } from './bootProtocol'

/** The database the workspace worker keeps its snapshots in (`${storePrefix}meta`, store `snapshots`). */
export const BOOT_META_DB = 'kanso:meta'

export interface BootReaderIo {
  indexedDB: IDBFactory
  fetch: typeof fetch
  /** The relay's origin (the page's): base of `/api/snapshots/<entity>`. */
  origin: string
  post(reply: BootReply): void
  /**
   * Resolves when the page asks for the whole snapshot, or some seconds after the head: reading
   * the 14 MB alongside took a core from the bundle's parse and the grid's build.
   */
  whenRestWanted(): Promise<void>
}

/**
 * Reads the row snapshot of `entity` for the first paint and posts it as two replies, `head`
 * then `full` (each null when there is none): this device's copy from IndexedDB (its head first,
 * the whole once the page wants it), else the relay's (`GET /api/snapshots/<entity>`, read as it
 * arrives: its first rows are the head). Never creates the database.
 */
export async function readBootSnapshot(entity: string, token: string | null, io: BootReaderIo): Promise<void> {
  const db = await openExisting(io.indexedDB, BOOT_META_DB)
  if (db) {
    try {
      const head = await readSnapshot(db, snapshotHeadKey(entity))
      if (isRowSnapshotHead(head)) {
        io.post({ head })
        await io.whenRestWanted()
        // a head without its snapshot (never written so, or replaced meanwhile): the page keeps
        // the head's rows, and the workspace worker tells the rest
        const full = await readSnapshot(db, entity)
        io.post({ full: isRowSnapshot(full) ? full : null })
        return
      }
      const full = await readSnapshot(db, entity)
      if (isRowSnapshot(full)) {
        io.post({ head: null })
        io.post({ full })
        return
      }
    } finally {
      db.close()
    }
  }
  await readRelaySnapshot(entity, token, io)
}

/**
 * This device's stored head of `entity` (its first rows and the count), or null: read by the
 * boot script on the page's own thread, beside the boot worker. The head is ~100 rows, so its
 * value is read in well under a millisecond, and the read itself waits on IndexedDB, not on the
 * page. The worker's head came too late on a stored open: the worker starts only once its
 * script has loaded, while the bundle is parsed on both cores (its script ran ~100 ms after it
 * was created), and the grid waited for its head (bench B1). Never creates the database.
 */
export async function readStoredHead(factory: IDBFactory, entity: string): Promise<RowSnapshotHead | null> {
  const db = await openExisting(factory, BOOT_META_DB)
  if (!db) return null
  try {
    const head = await readSnapshot(db, snapshotHeadKey(entity))
    return isRowSnapshotHead(head) ? head : null
  } finally {
    db.close()
  }
}

/** The relay's snapshot of `entity`, its first rows posted as the head as soon as they are in. */
export async function readRelaySnapshot(entity: string, token: string | null, io: BootReaderIo): Promise<void> {
  const none = () => {
    io.post({ head: null })
    io.post({ full: null })
  }
  if (!token) return none()
  try {
    const res = await io.fetch(`${io.origin}/api/snapshots/${encodeURIComponent(entity)}`, { headers: { Authorization: `Bearer ${token}` } })
    if (!res.ok || !res.body) return none()
    const version = `relay:${res.headers.get('x-kanso-snapshot-seq') ?? ''}`
    const total = Number(res.headers.get('x-kanso-snapshot-rows'))
    // without a count (a one-line snapshot) or with few rows, the whole is the head
    let headSent = !(total > SNAPSHOT_HEAD_ROWS)
    const parts: Uint8Array[] = []
    const reader = res.body.getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      parts.push(chunk.value)
      if (headSent) continue
      const head = firstRows(parts, SNAPSHOT_HEAD_ROWS)
      if (!head) continue
      headSent = true
      io.post({ head: { version, bytes: head, total } })
      await io.whenRestWanted()
    }
    if (!headSent) io.post({ head: null })
    io.post({ full: { version, bytes: joinBytes(parts) } })
  } catch (error) {
    // the network dropped or the relay refused: the page paints when the workspace worker has
    // the document (a head already posted stays: the page ignores a second head)
    console.warn(`boot read of the relay's "${entity}" snapshot failed: ${(error as Error).message}`)
    none()
  }
}

const LINE_BREAK = 10
const CLOSING_BRACKET = 93

/**
 * The first `rows` rows of snapshot bytes (one row per line: `[row,\nrow,\n…row]`, see
 * src/domain/rowsJson.ts) as a JSON array of their own, or null until that many lines are in.
 */
export function firstRows(parts: readonly Uint8Array[], rows: number): Uint8Array | null {
  let lines = 0
  let offset = 0
  for (const part of parts) {
    for (let i = part.indexOf(LINE_BREAK); i >= 0; i = part.indexOf(LINE_BREAK, i + 1)) {
      if (++lines < rows) continue
      const head = joinBytes(parts, offset + i)
      head[head.length - 1] = CLOSING_BRACKET // the row's trailing comma closes the array instead
      return head
    }
    offset += part.length
  }
  return null
}

/** The first `length` bytes of `parts` (all of them by default) in one new buffer. */
function joinBytes(parts: readonly Uint8Array[], length = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(length)
  let at = 0
  for (const part of parts) {
    if (at >= length) break
    const piece = part.subarray(0, length - at)
    out.set(piece, at)
    at += piece.length
  }
  return out
}

/** The database if this device has one; never creates it (a first visit leaves no empty database behind). */
function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    try {
      const req = factory.open(name)
      req.onupgradeneeded = () => req.transaction?.abort()
      req.onsuccess = () => resolve(req.result)
      // aborted above (no database yet), or storage is unavailable: the relay's snapshot instead
      req.onerror = () => resolve(null)
    } catch (error) {
      console.warn(`boot read could not open IndexedDB: ${(error as Error).message}`)
      resolve(null)
    }
  })
}

/** A value of the `snapshots` store; undefined when it is not there or cannot be read (the workspace worker reads it again and reports). */
function readSnapshot(db: IDBDatabase, key: string): Promise<RowSnapshot | undefined> {
  return new Promise((resolve) => {
    try {
      const req = db.transaction('snapshots', 'readonly').objectStore('snapshots').get(key)
      req.onsuccess = () => resolve(req.result as RowSnapshot | undefined)
      req.onerror = () => resolve(undefined)
    } catch (error) {
      console.warn(`boot read of "${key}" failed: ${(error as Error).message}`)
      resolve(undefined)
    }
  })
}
