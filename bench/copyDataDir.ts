import { copyFileSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dataFileIn } from '../server/config'

/**
 * A fresh relay data directory holding a copy of the seeded one: every repetition starts the
 * relay from the same stored state, whatever earlier clients wrote.
 */
export function copyDataDir(templateDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-bench-relay-'))
  const file = dataFileIn(templateDir)
  copyFileSync(file, dataFileIn(dir))
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) copyFileSync(file + suffix, dataFileIn(dir) + suffix)
  return dir
}
