import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { BackupInfo } from './backupFormat'

export interface TakenBackup extends BackupInfo {
  file: string
  bytes: number
}

/** A backup that could not be written, with the reason. */
export class BackupError extends Error {
  override name = 'BackupError'
}

/**
 * Writes a backup of the SQLite file `dataFile` to `target` in a worker thread (writeBackupFile).
 * `settle`, when the relay has the file open: resolves once every document write asked for so
 * far is in SQLite, so the copy holds what was forwarded before the backup was asked for.
 */
export async function takeBackup(dataFile: string, target: string, settle?: () => Promise<void>): Promise<TakenBackup> {
  mkdirSync(dirname(target), { recursive: true })
  await settle?.()
  const worker = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './backup/backupWorker.ts', dataFile, target } })
  const answer = await new Promise<{ ok: true; info: BackupInfo & { bytes: number } } | { ok: false; error: string }>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new BackupError(`the backup thread stopped (exit code ${code}) before it answered`)))
  })
  await worker.terminate()
  if (!answer.ok) throw new BackupError(`backup to ${target} failed: ${answer.error}`)
  return { ...answer.info, file: target }
}

/** `kanso-backup-2026-12-06T05-40-22Z.sqlite`: sorts by time, no characters file systems refuse. */
export function backupFileName(at = new Date()): string {
  return `kanso-backup-${at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.sqlite`
}
