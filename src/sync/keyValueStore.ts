/**
 * A tiny IndexedDB key-value store (one database, named object stores), usable on the main
 * thread and in workers — localStorage is not available in workers.
 */
export interface KeyValueStore {
  get<T>(store: string, key: string): Promise<T | undefined>
  set(store: string, key: string, value: unknown): Promise<void>
  /** Several keys in one transaction: a reader sees all of them or none. */
  setMany(store: string, entries: [key: string, value: unknown][]): Promise<void>
  delete(store: string, key: string): Promise<void>
  /** Every [key, value] of a store, in key order. */
  entries<T>(store: string): Promise<[string, T][]>
}

export const META_STORES = ['snapshots', 'intents', 'vectors'] as const

export function openKeyValueStore(dbName: string, stores: readonly string[] = META_STORES): KeyValueStore {
  const db = new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName, 1)
    req.onupgradeneeded = () => {
      for (const s of stores) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s)
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error(`could not open IndexedDB "${dbName}"`))
  })
  const run = async <T>(store: string, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> => {
    const tx = (await db).transaction(store, mode)
    const req = op(tx.objectStore(store))
    return new Promise<T>((resolve, reject) => {
      // resolve on commit, so a write is durable when the promise settles
      tx.oncomplete = () => resolve(req.result as T)
      tx.onerror = () => reject(tx.error ?? new Error(`IndexedDB ${mode} on "${store}" failed`))
      tx.onabort = () => reject(tx.error ?? new Error(`IndexedDB ${mode} on "${store}" aborted`))
    })
  }
  return {
    get: (store, key) => run(store, 'readonly', (s) => s.get(key)),
    set: (store, key, value) => run(store, 'readwrite', (s) => s.put(value, key)),
    setMany: (store, entries) => run(store, 'readwrite', (s) => {
      let last: IDBRequest | undefined
      for (const [key, value] of entries) last = s.put(value, key)
      return last ?? s.count()
    }),
    delete: (store, key) => run(store, 'readwrite', (s) => s.delete(key)),
    async entries<T>(store: string) {
      const [keys, values] = await Promise.all([
        run<IDBValidKey[]>(store, 'readonly', (s) => s.getAllKeys()),
        run<T[]>(store, 'readonly', (s) => s.getAll()),
      ])
      return keys.map((k, i): [string, T] => [String(k), values[i] as T])
    },
  }
}
