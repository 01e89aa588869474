import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'

/**
 * A running relay's mark on its data file: `<file>.pid` holding its process id, so `kanso
 * restore` refuses to replace a file a relay has open. A relay killed with -9 leaves the file;
 * a pid no process has any more does not count.
 */
export const lockFileOf = (dataFile: string): string => `${dataFile}.pid`

export function markRelayRunning(dataFile: string): () => void {
  const path = lockFileOf(dataFile)
  writeFileSync(path, `${process.pid}\n`)
  return () => {
    if (runningRelayPid(dataFile) === process.pid) unlinkSync(path)
  }
}

/** The pid of a live relay on `dataFile`, or null. */
export function runningRelayPid(dataFile: string): number | null {
  let text: string
  try {
    text = readFileSync(lockFileOf(dataFile), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const pid = Number(text.trim())
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: alive, another user's
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}
