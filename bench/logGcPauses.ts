import { appendFileSync } from 'node:fs'
import { PerformanceObserver, performance } from 'node:perf_hooks'

/** Appends every GC pause of this process to `file`: `<epoch ms> <kind> <ms>` (kind 1 = scavenge, 4 = major, 8 = incremental). */
export function logGcPauses(file: string): void {
  new PerformanceObserver((list) => {
    appendFileSync(file, list.getEntries().map((e) => `${(performance.timeOrigin + e.startTime).toFixed(1)} ${(e as unknown as { detail: { kind: number } }).detail.kind} ${e.duration.toFixed(2)}\n`).join(''))
  }).observe({ entryTypes: ['gc'] })
}
