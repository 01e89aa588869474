import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { RelayStorage } from '../storage/relayStorage'

/**
 * The relay's key for signing what it serves (the web forms' served-at tokens), kept in its own
 * table of the relay's SQLite file so tokens stay valid across restarts; in memory (one per
 * process) for storage without a file. Never leaves the relay.
 */
export function loadRelaySecret(storage: RelayStorage, name = 'web_forms'): Buffer {
  if (!storage.file) return randomBytes(32)
  const db = new Database(storage.file)
  try {
    db.pragma('busy_timeout = 5000')
    db.exec('CREATE TABLE IF NOT EXISTS relay_secrets (name TEXT PRIMARY KEY, secret BLOB NOT NULL)')
    // two relays starting on one file at once: the first insert wins, both read it
    db.prepare('INSERT OR IGNORE INTO relay_secrets (name, secret) VALUES (?, ?)').run(name, randomBytes(32))
    const row = db.prepare<[string], { secret: Buffer }>('SELECT secret FROM relay_secrets WHERE name = ?').get(name)
    if (!row) throw new Error(`the relay secret "${name}" could not be stored`)
    return row.secret
  } finally {
    db.close()
  }
}
