import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { RelayLogger } from '../relayLogger'
import { backupFileName, type TakenBackup } from './takeBackup'

/** Scheduled backups: KANSO_BACKUP_DIR, every KANSO_BACKUP_EVERY_HOURS, the newest KANSO_BACKUP_KEEP kept. */
export interface BackupScheduleOptions {
  dir: string
  everyMs: number
  keep: number
}

const BACKUP_NAME = /^kanso-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?\.sqlite$/

/** Deletes all but the newest `keep` backups the relay wrote into `dir` (other files are left alone); returns the deleted names. */
export function pruneBackups(dir: string, keep: number): string[] {
  const names = readdirSync(dir).filter((name) => BACKUP_NAME.test(name)).sort()
  const old = names.slice(0, Math.max(0, names.length - keep))
  for (const name of old) rmSync(join(dir, name), { force: true })
  return old
}

/** A name in `dir` no backup has yet: two backups in one second get -1, -2. */
function freshName(dir: string, at: Date): string {
  const base = backupFileName(at)
  const taken = new Set(readdirSync(dir))
  if (!taken.has(base)) return base
  for (let n = 1; ; n++) {
    const name = base.replace(/\.sqlite$/, `-${n}.sqlite`)
    if (!taken.has(name)) return name
  }
}

export interface BackupSchedule {
  /** Takes one backup into the directory now and prunes (what the timer does). */
  runNow(): Promise<TakenBackup>
  stop(): Promise<void>
}

/** Backs up every `everyMs` into `dir` (the first one `everyMs` after the start) and keeps the newest `keep`. */
export function startBackupSchedule(options: BackupScheduleOptions, take: (target: string) => Promise<TakenBackup>, logger: RelayLogger): BackupSchedule {
  let running: Promise<TakenBackup> | null = null
  const runNow = (): Promise<TakenBackup> => {
    running ??= (async () => {
      mkdirSync(options.dir, { recursive: true })
      const taken = await take(join(options.dir, freshName(options.dir, new Date())))
      const pruned = pruneBackups(options.dir, options.keep)
      logger.info(`backup: wrote ${taken.file} (${taken.bytes} bytes)${pruned.length > 0 ? `, deleted ${pruned.length} older` : ''}`)
      return taken
    })().finally(() => {
      running = null
    })
    return running
  }
  const timer = setInterval(() => {
    runNow().catch((error: Error) => logger.error(`scheduled backup failed: ${error.message}`))
  }, options.everyMs)
  timer.unref()
  return {
    runNow,
    async stop() {
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
