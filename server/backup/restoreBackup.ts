import { copyFileSync, renameSync, rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { logFiles } from '../storage/updateLog'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BACKUP_INFO_TABLE, BackupFormatError, type BackupInfo } from './backupFormat'
import { lockFileOf, runningRelayPid } from './relayLock'
import { replaceEpoch } from './workspaceEpoch'

/** A restore refused because a relay has the data file open. */
export class RelayRunningError extends Error {
  override name = 'RelayRunningError'
}

/** What the backup file `file` says it is; throws BackupFormatError for anything else. */
export function readBackupInfo(file: string): BackupInfo {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new BackupFormatError(`${file} cannot be opened: ${(error as Error).message}`)
  }
  try {
    let rows: Array<{ key: string; value: string }>
    try {
      rows = db.prepare<[], { key: string; value: string }>(`SELECT key, value FROM ${BACKUP_INFO_TABLE}`).all()
    } catch (error) {
      throw new BackupFormatError(`${file} is not a Kanso backup (${(error as Error).message})`)
    }
    const info = Object.fromEntries(rows.map((r) => [r.key, r.value]))
    if (info.format !== BACKUP_FORMAT) throw new BackupFormatError(`${file} is not a Kanso backup (format "${info.format}")`)
    const version = Number(info.version)
    if (version !== BACKUP_FORMAT_VERSION) throw new BackupFormatError(`${file} is a backup of format version ${info.version}; this relay restores version ${BACKUP_FORMAT_VERSION}`)
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new BackupFormatError(`${file} is damaged: ${String(check)}`)
    return { format: BACKUP_FORMAT, version, createdAt: info.createdAt ?? '', epoch: info.epoch ?? '', documents: Number(info.documents) }
  } finally {
    db.close()
  }
}

/**
 * Replaces the workspace in the relay data file `dataFile` by the backup `file`, with a new
 * epoch, so clients that synced before the restore are told to drop their copies (see
 * workspaceEpoch.ts). Refuses while a relay runs on `dataFile`. The old file's write-ahead log
 * and update log files go: they belong to the replaced workspace.
 */
export function restoreBackup(file: string, dataFile: string): BackupInfo & { epoch: string; restoredFrom: string } {
  const info = readBackupInfo(file)
  const pid = runningRelayPid(dataFile)
  if (pid !== null) throw new RelayRunningError(`a relay (pid ${pid}) is running on ${dataFile}: stop it, then restore (if no relay runs there, delete ${lockFileOf(dataFile)})`)
  const staged = `${dataFile}.restoring`
  rmSync(staged, { force: true })
  copyFileSync(file, staged)
  let epoch: string
  try {
    const db = new Database(staged)
    try {
      db.exec(`DROP TABLE ${BACKUP_INFO_TABLE}`)
      epoch = replaceEpoch(db)
    } finally {
      db.close()
    }
  } catch (error) {
    rmSync(staged, { force: true })
    throw error
  }
  for (const path of [`${dataFile}-wal`, `${dataFile}-shm`, ...logFiles(dataFile)]) rmSync(path, { force: true })
  renameSync(staged, dataFile)
  return { ...info, epoch, restoredFrom: info.epoch }
}
