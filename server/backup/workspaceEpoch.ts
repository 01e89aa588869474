import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'

/**
 * The workspace's epoch: a random id that changes when a backup is restored. Clients send the
 * epoch they synced with (`?epoch=` on the sync URL); one from another epoch holds state the
 * restored documents never saw, and is closed with CLOSE_WORKSPACE_RESTORED instead of syncing
 * it back (see syncServer and docs/ARCHITECTURE.md's restore rule).
 */
export function newEpoch(): string {
  return randomBytes(9).toString('base64url')
}

/** The epoch kept in the SQLite file `file` (its own table), made on first use; in memory without a file. */
export function loadWorkspaceEpoch(file: string | null): string {
  if (!file) return newEpoch()
  const db = new Database(file)
  try {
    db.pragma('busy_timeout = 5000')
    return ensureEpoch(db)
  } finally {
    db.close()
  }
}

/** The epoch of the open database `db`, made when it has none. */
export function ensureEpoch(db: Database.Database): string {
  db.exec('CREATE TABLE IF NOT EXISTS workspace_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL)')
  db.prepare('INSERT OR IGNORE INTO workspace_epoch (id, epoch) VALUES (1, ?)').run(newEpoch())
  const row = db.prepare<[], { epoch: string }>('SELECT epoch FROM workspace_epoch WHERE id = 1').get()
  if (!row) throw new Error('the workspace epoch could not be stored')
  return row.epoch
}

/** Gives the open database `db` a new epoch (a restore). */
export function replaceEpoch(db: Database.Database, epoch = newEpoch()): string {
  db.exec('CREATE TABLE IF NOT EXISTS workspace_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL)')
  db.prepare('INSERT INTO workspace_epoch (id, epoch) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch').run(epoch)
  return epoch
}
