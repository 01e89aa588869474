import { readdirSync, readFileSync } from 'node:fs'

/** Poll interval, and the CPU a settled browser may still use in one (all its processes, ms). */
const POLL_MS = 250
const IDLE_CPU_MS = 25
/** Consecutive quiet polls that count as settled. */
const QUIET_POLLS = 2
/** Where /proc cannot be read (not Linux): a fixed wait, about what start-up takes here. */
const FALLBACK_WAIT_MS = 2000

export interface BrowserIdle {
  /** ms waited. */
  waitedMs: number
  /** How it was decided: 'cpu' (the browser's processes went quiet), 'timeout', or 'fixed wait'. */
  how: 'cpu' | 'timeout' | 'fixed wait'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** pid → [parent pid, utime + stime in clock ticks] of every process, or null without /proc. */
function processTable(): Map<number, [number, number]> | null {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return null
  }
  const table = new Map<number, [number, number]>()
  for (const pid of pids) {
    try {
      // fields after "(comm) ": state ppid … utime is the 14th field overall, stime the 15th
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      table.set(Number(pid), [Number(fields[1]), Number(fields[11]) + Number(fields[12])])
    } catch {
      // the process ended meanwhile
    }
  }
  return table
}

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

/** CPU time (ms) of the browser and all its descendants: renderers, GPU, utility processes. */
function treeCpuMs(root: number, table: Map<number, [number, number]>): number {
  const children = new Map<number, number[]>()
  for (const [pid, [ppid]] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  let ticks = 0
  const stack = [root]
  while (stack.length) {
    const pid = stack.pop()!
    ticks += table.get(pid)?.[1] ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return ticks * 10 // USER_HZ is 100 on Linux
}

/**
 * Waits until a freshly launched browser has finished its own start-up work (its UI renderers,
 * extensions, caches): all its processes together under 10% of a core for 0.5 s. A person opens
 * Kanso in a browser that is already running; measured from launch, the open shared this
 * machine's 2 cores with ~1 s of the browser's start-up at ~1.8 cores.
 */
export async function waitForBrowserIdle(userDataDir: string, timeoutMs = 10_000): Promise<BrowserIdle> {
  const started = performance.now()
  const waited = () => Math.round(performance.now() - started)
  const pid = browserPid(userDataDir)
  const table = pid === null ? null : processTable()
  if (pid === null || !table) {
    await sleep(FALLBACK_WAIT_MS)
    return { waitedMs: waited(), how: 'fixed wait' }
  }
  let last = treeCpuMs(pid, table)
  let quiet = 0
  while (performance.now() - started < timeoutMs) {
    await sleep(POLL_MS)
    const table = processTable()
    if (!table) break
    const now = treeCpuMs(pid, table)
    quiet = now - last < IDLE_CPU_MS ? quiet + 1 : 0
    last = now
    if (quiet >= QUIET_POLLS) return { waitedMs: waited(), how: 'cpu' }
  }
  return { waitedMs: waited(), how: 'timeout' }
}
