import { readlinkSync } from 'node:fs'
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
