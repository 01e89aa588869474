import { readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { createSqliteStorage } from '../storage/sqliteStorage'
import { decodeLog, logFiles, type SeqRow } from '../storage/updateLog'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BACKUP_INFO_TABLE, DROPPED_TABLES, type BackupInfo } from './backupFormat'
import { ensureEpoch } from './workspaceEpoch'

/** The rows of the update log files beside `dataFile`; a file folded and deleted meanwhile is in SQLite already. */
function readLoggedRows(dataFile: string): SeqRow[] {
  const rows: SeqRow[] = []
  for (const path of logFiles(dataFile)) {
    let bytes: Uint8Array
    try {
      bytes = readFileSync(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    for (const row of decodeLog(bytes)) rows.push(row)
  }
  return rows
}

/**
 * Each document's base row and the rows appended since, merged into one base row (the seq of its
 * last row, so the webhook feed's cursors still match) with its state vector: a restored relay
 * loads each document as one update and compacts nothing first.
 */
function mergeDocuments(db: Database.Database): void {
  const docs = db.prepare<[], { doc: string }>('SELECT DISTINCT doc FROM updates').all()
  const readRows = db.prepare<[string, string], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM documents WHERE doc = ? UNION ALL SELECT seq, data FROM updates WHERE doc = ? ORDER BY seq',
  )
  const putBase = db.prepare('INSERT INTO documents (doc, seq, data) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data')
  const putVector = db.prepare('INSERT INTO state_vectors (doc, seq, state_vector) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, state_vector = excluded.state_vector')
  const dropTail = db.prepare('DELETE FROM updates WHERE doc = ?')
  const mergeOne = db.transaction((doc: string) => {
    const rows = readRows.all(doc, doc)
    const last = rows.at(-1)
    if (!last) return
    const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)))
    putBase.run(doc, last.seq, Buffer.from(merged))
    putVector.run(doc, last.seq, Buffer.from(Y.encodeStateVectorFromUpdate(merged)))
    dropTail.run(doc)
  })
  for (const { doc } of docs) mergeOne(doc)
}

/**
 * Writes a backup of the relay's SQLite file `dataFile` to `target` (see backupFormat.ts), whether
 * or not a relay has it open: one read transaction copies it (`VACUUM INTO`), then the rows of
 * the update log read just before are added (rows folded meanwhile are skipped as already there).
 * Synchronous and seconds long on a big workspace: the relay runs it in a worker thread (takeBackup).
 */
export function writeBackupFile(dataFile: string, target: string): BackupInfo & { bytes: number } {
  const partial = `${target}.partial`
  rmSync(partial, { force: true })
  const logged = readLoggedRows(dataFile)
  const source = new Database(dataFile, { fileMustExist: true })
  let epoch: string
  try {
    source.pragma('busy_timeout = 5000')
    epoch = ensureEpoch(source)
    source.prepare('VACUUM INTO ?').run(partial)
  } finally {
    source.close()
  }
  try {
    if (logged.length > 0) {
      const copy = createSqliteStorage(partial)
      try {
        copy.putRows(logged)
      } finally {
        copy.close()
      }
    }
    const db = new Database(partial)
    let info: BackupInfo
    try {
      db.pragma('journal_mode = DELETE')
      const tables = new Set(db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name))
      for (const table of Object.keys(DROPPED_TABLES)) if (tables.has(table)) db.exec(`DELETE FROM "${table}"`)
      db.exec('DROP TABLE IF EXISTS workspace_epoch')
      mergeDocuments(db)
      const documents = (db.prepare<[], { n: number }>('SELECT count(*) AS n FROM (SELECT doc FROM documents UNION SELECT doc FROM updates)').get() as { n: number }).n
      info = { format: BACKUP_FORMAT, version: BACKUP_FORMAT_VERSION, createdAt: new Date().toISOString(), epoch, documents }
      db.exec(`CREATE TABLE ${BACKUP_INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
      const put = db.prepare(`INSERT INTO ${BACKUP_INFO_TABLE} (key, value) VALUES (?, ?)`)
      for (const [key, value] of Object.entries(info)) put.run(key, String(value))
      // the dropped tables' pages go back to the file system
      db.exec('VACUUM')
    } finally {
      db.close()
    }
    renameSync(partial, target)
    return { ...info, bytes: statSync(target).size }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}
