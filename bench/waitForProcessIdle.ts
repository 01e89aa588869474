import { readdirSync, readFileSync } from 'node:fs'

/** Poll interval, and the CPU a settled process tree may still use in one (ms). */
const POLL_MS = 250
const IDLE_CPU_MS = 25
/** Consecutive quiet polls that count as settled. */
const QUIET_POLLS = 2

export interface ProcessIdle {
  /** ms waited. */
  waitedMs: number
  /** How it was decided: 'cpu' (the processes went quiet), 'timeout', or 'no /proc' (not Linux: not waited). */
  how: 'cpu' | 'timeout' | 'no /proc'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** pid → [parent pid, utime + stime in clock ticks] of every process, or null without /proc. */
export function processTable(): Map<number, [number, number]> | null {
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

/** CPU time (ms) of a process and all its descendants, every thread of each. */
export function treeCpuMs(root: number, table: Map<number, [number, number]>): number {
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

/** Waits until the process `pid` and its descendants use under 10% of a core for 0.5 s. */
export async function waitForProcessIdle(pid: number, timeoutMs = 10_000): Promise<ProcessIdle> {
  const started = performance.now()
  const waited = () => Math.round(performance.now() - started)
  const table = processTable()
  if (!table) return { waitedMs: 0, how: 'no /proc' }
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
