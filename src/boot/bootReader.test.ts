import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { rowsJson } from '../domain/rowsJson'
import type { RowSnapshot, RowSnapshotHead } from '../sync/workerProtocol'
import type { BootReply } from './bootProtocol'
import { BOOT_META_DB, firstRows, readBootSnapshot, readStoredHead } from './bootReader'

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, values: { name: `Row ${i} — ü` } }))
const bytesOf = (text: string) => new TextEncoder().encode(text)
const parse = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown

/** Cuts `bytes` into pieces of random sizes (seeded), as a response body arrives. */
function chunked(bytes: Uint8Array, seed: number): Uint8Array[] {
  const parts: Uint8Array[] = []
  let state = seed
  for (let at = 0; at < bytes.length;) {
    state = (state * 1103515245 + 12345) % 2 ** 31
    const size = 1 + (state % 700)
    parts.push(bytes.slice(at, at + size))
    at += size
  }
  return parts
}

async function storeSnapshots(factory: IDBFactory, entries: Record<string, RowSnapshot | RowSnapshotHead>): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = factory.open(BOOT_META_DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore('snapshots')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const tx = db.transaction('snapshots', 'readwrite')
  for (const [key, value] of Object.entries(entries)) tx.objectStore('snapshots').put(value, key)
  await new Promise((resolve) => (tx.oncomplete = resolve))
  db.close()
}

/** Runs the reader against `factory`; `rest()` answers its wait for the page's request. */
function startReading(factory: IDBFactory, token: string | null = null) {
  const replies: BootReply[] = []
  let rest!: () => void
  let waits = 0
  const asked = new Promise<void>((resolve) => (rest = resolve))
  const done = readBootSnapshot('contacts', token, {
    indexedDB: factory,
    fetch,
    // nothing listens there: a reader that asked the relay would post nulls, not stored rows
    origin: 'http://127.0.0.1:9',
    post: (reply) => replies.push(reply),
    whenRestWanted: () => {
      waits++
      return asked
    },
  })
  return { replies, done, rest, waits: () => waits }
}

describe('firstRows (the head of a snapshot that is still arriving)', () => {
  it('is the first rows as a JSON array of their own, whatever the chunks', () => {
    const all = rows(150)
    const bytes = bytesOf(rowsJson(all))
    for (const seed of [1, 2, 3, 42]) {
      const head = firstRows(chunked(bytes, seed), 100)
      expect(head, `seed ${seed}`).not.toBeNull()
      expect(parse(head!), `seed ${seed}`).toEqual(all.slice(0, 100))
    }
  })

  it('is null until that many rows are in', () => {
    const bytes = bytesOf(rowsJson(rows(150)))
    const cut = bytesOf(rowsJson(rows(100))).length // where the 100th line break is
    expect(bytes[cut]).toBe(10)
    expect(firstRows([bytes.slice(0, cut)], 100)).toBeNull()
    expect(firstRows([bytesOf(rowsJson(rows(100)))], 100)).toBeNull() // the last row has no line break: it is the whole
    expect(parse(firstRows([bytes.slice(0, cut + 1)], 100)!)).toEqual(rows(100))
  })
})

describe('readBootSnapshot from this device', () => {
  const snapshot = { version: 'v7', bytes: bytesOf(rowsJson(rows(150))) }
  const head = { version: 'v7', bytes: bytesOf(rowsJson(rows(100))), total: 150 }

  it('posts the stored head first and reads the whole snapshot only once the page wants it', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { 'contacts#head': head, contacts: snapshot })
    const reading = startReading(factory)
    await expect.poll(() => reading.replies.length).toBe(1)
    expect(reading.replies[0]).toEqual({ head })
    expect(reading.waits()).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(reading.replies).toHaveLength(1) // the 14 MB wait for the page

    reading.rest()
    await reading.done
    expect(reading.replies).toEqual([{ head }, { full: snapshot }])
  })

  it('posts a snapshot stored without a head as the whole, with no head', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { contacts: snapshot })
    const reading = startReading(factory)
    await reading.done
    expect(reading.replies).toEqual([{ head: null }, { full: snapshot }])
    expect(reading.waits()).toBe(0)
  })

  it('keeps the head when the snapshot beside it is gone', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { 'contacts#head': head })
    const reading = startReading(factory)
    reading.rest()
    await reading.done
    expect(reading.replies).toEqual([{ head }, { full: null }])
  })

  it('skips values that are not snapshots', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { 'contacts#head': { version: 'v1', bytes: 'text' } as unknown as RowSnapshotHead, contacts: { version: 3 } as unknown as RowSnapshot })
    const reading = startReading(factory)
    await reading.done
    expect(reading.replies).toEqual([{ head: null }, { full: null }])
  })

  it('never creates the database on a first visit', async () => {
    const factory = new IDBFactory()
    const reading = startReading(factory)
    await reading.done
    expect(reading.replies).toEqual([{ head: null }, { full: null }])
    expect(await factory.databases()).toEqual([])
  })
})

describe('readStoredHead (the boot script reads the head on the page, beside the worker)', () => {
  const head = { version: 'v7', bytes: bytesOf(rowsJson(rows(100))), total: 150 }

  it('is the stored head of the list', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { 'contacts#head': head, contacts: { version: 'v7', bytes: bytesOf(rowsJson(rows(150))) } })
    expect(await readStoredHead(factory, 'contacts')).toEqual(head)
    expect(await readStoredHead(factory, 'deals')).toBeNull()
  })

  it('is null for a snapshot stored without a head, or a value that is no head', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { contacts: { version: 'v7', bytes: bytesOf(rowsJson(rows(150))) }, 'deals#head': { version: 'v1', bytes: bytesOf('[]') } as RowSnapshotHead })
    expect(await readStoredHead(factory, 'contacts')).toBeNull()
    expect(await readStoredHead(factory, 'deals')).toBeNull() // no count
  })

  it('closes the database it opened (the app opens it again, and may upgrade it)', async () => {
    const factory = new IDBFactory()
    await storeSnapshots(factory, { 'contacts#head': head })
    await readStoredHead(factory, 'contacts')
    const blocked = await new Promise<boolean>((resolve, reject) => {
      const req = factory.open(BOOT_META_DB, 2)
      req.onblocked = () => resolve(true)
      req.onsuccess = () => { req.result.close(); resolve(false) }
      req.onerror = () => reject(req.error)
    })
    expect(blocked).toBe(false)
  })

  it('never creates the database on a first visit', async () => {
    const factory = new IDBFactory()
    expect(await readStoredHead(factory, 'contacts')).toBeNull()
    expect(await factory.databases()).toEqual([])
  })
})
