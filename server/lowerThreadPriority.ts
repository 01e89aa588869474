import { readdirSync, readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/**
 * Puts the calling worker thread below the main thread's priority: when the cores are busy, the
 * event loop that answers every client comes first, a long decode second. Linux only (a thread
 * id is a pid for setpriority); returns why it kept the normal priority elsewhere, else null.
 */
export function lowerThreadPriority(): string | null {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isSafeInteger(threadId)) setPriority(threadId, 10)
    return null
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    return (error as Error).message
  }
}

/**
 * Puts every thread of this process below the relay's priority, V8's own included (run first
 * thing in a child process of the relay; threads started later inherit it). A worker thread
 * cannot do this for its isolate: its garbage collection runs on V8's platform threads, which
 * all the process's isolates share at normal priority. Returns why it kept the normal priority, else null.
 */
export function lowerProcessPriority(): string | null {
  try {
    for (const task of readdirSync('/proc/self/task')) {
      try {
        setPriority(Number(task), 10)
      } catch (error) {
        // a thread that ended meanwhile
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
      }
    }
    return null
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    return (error as Error).message
  }
}
