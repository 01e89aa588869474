import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'

/**
 * A running relay's mark on its data file: `<file>.pid` holding its process id, so `kanso
 * restore` refuses to replace a file a relay has open. A relay killed with -9 leaves the file;
 * a pid no process has any more does not count.
 */
export const lockFileOf = (dataFile: string): string => `${dataFile}.pid`

/** Data files of relays running in this process (tests, embedders): our own pid in a file means one of these, or nothing. */
const runningHere = new Set<string>()

export function markRelayRunning(dataFile: string): () => void {
  const path = lockFileOf(dataFile)
  writeFileSync(path, `${process.pid}\n`)
  runningHere.add(dataFile)
  return () => {
    runningHere.delete(dataFile)
    if (readPid(path) === process.pid) unlinkSync(path)
  }
}

function readPid(path: string): number | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : null
}

/**
 * The pid of a live relay on `dataFile`, or null. Our own pid counts only for a relay running in
 * this process: in a container the relay and a later `kanso restore` may both be pid 1.
 */
export function runningRelayPid(dataFile: string): number | null {
  const pid = readPid(lockFileOf(dataFile))
  if (pid === null) return null
  if (pid === process.pid) return runningHere.has(dataFile) ? pid : null
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: alive, another user's
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}
