import { readdirSync, readFileSync } from 'node:fs'
import { waitForProcessIdle } from './waitForProcessIdle'

/** Where /proc cannot be read (not Linux): a fixed wait, about what start-up takes here. */
const FALLBACK_WAIT_MS = 2000

export interface BrowserIdle {
  /** ms waited. */
  waitedMs: number
  /** How it was decided: 'cpu' (the browser's processes went quiet), 'timeout', or 'fixed wait'. */
  how: 'cpu' | 'timeout' | 'fixed wait'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The browser launched with this profile directory (its main process, no --type=); null without /proc. */
function browserPid(userDataDir: string): number | null {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return null
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) return Number(pid)
    } catch {
      // the process ended meanwhile
    }
  }
  return null
}

/**
 * Waits until a freshly launched browser has finished its own start-up work (its UI renderers,
 * extensions, caches): all its processes together under 10% of a core for 0.5 s. A person opens
 * Kanso in a browser that is already running; measured from launch, the open shared this
 * machine's 2 cores with ~1 s of the browser's start-up at ~1.8 cores.
 */
export async function waitForBrowserIdle(userDataDir: string, timeoutMs = 10_000): Promise<BrowserIdle> {
  const started = performance.now()
  const pid = browserPid(userDataDir)
  const idle = pid === null ? null : await waitForProcessIdle(pid, timeoutMs)
  if (!idle || idle.how === 'no /proc') {
    await sleep(FALLBACK_WAIT_MS)
    return { waitedMs: Math.round(performance.now() - started), how: 'fixed wait' }
  }
  return { waitedMs: idle.waitedMs, how: idle.how }
}
