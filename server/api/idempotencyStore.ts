import Database from 'better-sqlite3'
import type { RelayStorage } from '../storage/relayStorage'

/** The first answer to a POST with an Idempotency-Key: what a retry gets again. */
export interface StoredAnswer {
  /** sha256 of the method, path and body of the first request: a different request with the same key is refused. */
  requestHash: string
  status: number
  body: string
  location: string | null
}

/** Answers kept per (caller, key) for `ttlMs`; survives a restart with SQLite. */
export interface IdempotencyStore {
  find(caller: string, key: string, now: number): StoredAnswer | null
  save(caller: string, key: string, answer: StoredAnswer, now: number): void
  close(): void
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/**
 * In the relay's SQLite file (its own table, its own connection: the relay's storage interface
 * stays about documents and credentials), or in memory for storage without a file.
 */
export function createIdempotencyStore(storage: RelayStorage, ttlMs = IDEMPOTENCY_TTL_MS): IdempotencyStore {
  return storage.file ? sqliteIdempotencyStore(storage.file, ttlMs) : memoryIdempotencyStore(ttlMs)
}

export function sqliteIdempotencyStore(file: string, ttlMs: number): IdempotencyStore {
  const db = new Database(file)
  db.pragma('busy_timeout = 5000')
  db.exec(`CREATE TABLE IF NOT EXISTS api_idempotency (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    location TEXT,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (caller, key)
  )`)
  const select = db.prepare<[string, string, number], { request_hash: string; status: number; body: string; location: string | null }>(
    'SELECT request_hash, status, body, location FROM api_idempotency WHERE caller = ? AND key = ? AND expires_at > ?',
  )
  const upsert = db.prepare<[string, string, string, number, string, string | null, number]>(
    'INSERT OR REPLACE INTO api_idempotency (caller, key, request_hash, status, body, location, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const expire = db.prepare<[number]>('DELETE FROM api_idempotency WHERE expires_at <= ?')
  let lastSweep = 0
  return {
    find(caller, key, now) {
      const row = select.get(caller, key, now)
      return row ? { requestHash: row.request_hash, status: row.status, body: row.body, location: row.location } : null
    },
    save(caller, key, answer, now) {
      upsert.run(caller, key, answer.requestHash, answer.status, answer.body, answer.location, now + ttlMs)
      // expired answers go now and then, not on every write
      if (now - lastSweep > 60_000) {
        lastSweep = now
        expire.run(now)
      }
    },
    close: () => db.close(),
  }
}

export function memoryIdempotencyStore(ttlMs: number): IdempotencyStore {
  const answers = new Map<string, StoredAnswer & { expiresAt: number }>()
  const id = (caller: string, key: string) => JSON.stringify([caller, key])
  return {
    find(caller, key, now) {
      const found = answers.get(id(caller, key))
      return found && found.expiresAt > now ? found : null
    },
    save(caller, key, answer, now) {
      answers.set(id(caller, key), { ...answer, expiresAt: now + ttlMs })
    },
    close: () => answers.clear(),
  }
}
