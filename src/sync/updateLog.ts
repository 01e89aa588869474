/*
 * A document's Yjs updates in IndexedDB, in y-indexeddb 9's format so either can read what the
 * other wrote: database `<name>` (version 1), object store `updates` (autoIncrement keys, one V1
 * update per row) and an unused `custom` store. Unlike y-indexeddb, loading writes nothing, every
 * append reports when it is durable, and compaction re-reads what other tabs appended before it
 * deletes their rows.
 */

const UPDATES = 'updates'
const CUSTOM = 'custom'

/** Called inside the compaction transaction: absorb other writers' rows, then encode the state. */
export interface CompactionSource {
  /** Updates another writer (another tab) appended since we last read; the state must include them. */
  absorb(foreign: Uint8Array[]): void
  /** Everything the document holds, as one update replacing every row written so far. */
  encodeState(): Uint8Array
}

export class UpdateLog {
  /** Rows in the store, about (other writers' appends are counted when read). */
  size = 0
  /** Keys at or below this one were read by load or written by compaction. */
  private readUpTo = 0
  /** Keys this log appended above `readUpTo`. */
  private ownKeys = new Set<number>()
  private inFlight = new Set<Promise<void>>()
  private closed = false

  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (creating as y-indexeddb does) the database `name`. */
  static open(name: string, factory: IDBFactory = indexedDB): Promise<UpdateLog> {
    return new Promise((resolve, reject) => {
      // no version: y-indexeddb opens the same way, so an existing database is version 1
      const req = factory.open(name)
      req.onupgradeneeded = () => {
        const db = req.result
        if (!db.objectStoreNames.contains(UPDATES)) db.createObjectStore(UPDATES, { autoIncrement: true })
        if (!db.objectStoreNames.contains(CUSTOM)) db.createObjectStore(CUSTOM)
      }
      req.onsuccess = () => {
        const db = req.result
        // let a deleteDatabase or upgrade elsewhere proceed, like y-indexeddb
        db.onversionchange = () => db.close()
        resolve(new UpdateLog(db))
      }
      req.onerror = () => reject(req.error ?? new Error(`could not open IndexedDB "${name}"`))
    })
  }

  /** Every stored update, oldest first. */
  load(): Promise<Uint8Array[]> {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(UPDATES, 'readonly')
      const store = tx.objectStore(UPDATES)
      const values = store.getAll()
      const keys = store.getAllKeys()
      tx.oncomplete = () => {
        const ks = keys.result as number[]
        this.readUpTo = Math.max(this.readUpTo, ks.at(-1) ?? 0)
        this.size = ks.length
        resolve(values.result as Uint8Array[])
      }
      tx.onerror = () => reject(tx.error ?? new Error('reading stored updates failed'))
      tx.onabort = () => reject(tx.error ?? new Error('reading stored updates aborted'))
    })
  }

  /** Appends one update in its own transaction; resolves once it committed. */
  append(update: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the update log is closed'))
    const tx = this.db.transaction(UPDATES, 'readwrite')
    const req = tx.objectStore(UPDATES).add(update)
    // known before any later transaction (a compaction) runs
    req.onsuccess = () => { this.ownKeys.add(req.result as number) }
    this.size++
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('storing an update failed'))
      tx.onabort = () => reject(tx.error ?? new Error('storing an update aborted'))
    })
    this.inFlight.add(done)
    const settle = () => { this.inFlight.delete(done) }
    done.then(settle, settle)
    return done
  }

  /** Resolves when every append made so far has committed; rejects if one of them failed. */
  async whenStored(): Promise<void> {
    await Promise.all([...this.inFlight])
  }

  /**
   * Replaces every row with one holding the whole state, in one transaction. Appends made before
   * this call run first (IndexedDB orders overlapping read-write transactions by creation) and
   * the state is encoded inside the transaction, so it covers them; appends made after it get
   * higher keys and stay.
   */
  compact(source: CompactionSource): Promise<void> {
    if (this.closed) return Promise.resolve()
    const tx = this.db.transaction(UPDATES, 'readwrite')
    const store = tx.objectStore(UPDATES)
    const sizeBefore = this.size
    const newer = IDBKeyRange.lowerBound(this.readUpTo, true)
    const values = store.getAll(newer)
    const keys = store.getAllKeys(newer)
    let stateKey = 0
    keys.onsuccess = () => {
      const ks = keys.result as number[]
      const vs = values.result as Uint8Array[]
      const foreign = vs.filter((_, i) => !this.ownKeys.has(ks[i]!))
      if (foreign.length) source.absorb(foreign)
      const add = store.add(source.encodeState())
      add.onsuccess = () => {
        stateKey = add.result as number
        store.delete(IDBKeyRange.upperBound(stateKey, true))
      }
    }
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => {
        this.readUpTo = stateKey
        for (const k of this.ownKeys) if (k < stateKey) this.ownKeys.delete(k)
        // the state row, plus what was appended since this call
        this.size = this.size - sizeBefore + 1
        resolve()
      }
      tx.onerror = () => reject(tx.error ?? new Error('compacting stored updates failed'))
      tx.onabort = () => reject(tx.error ?? new Error('compacting stored updates aborted'))
    })
  }

  /** Closes the database once running transactions finish (IndexedDB waits for them). */
  close(): void {
    this.closed = true
    this.db.close()
  }
}
