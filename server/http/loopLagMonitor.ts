import { createHistogram, monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks'

export interface LoopLagSnapshot {
  /** Timer ticks measured since the last reset (corrected: a stall counts every tick it swallowed). */
  samples: number
  /**
   * Delay of the event loop as a message arriving at a random moment meets it: a stall of
   * D ms also records D − r, D − 2r, … (r = resolution) for the ticks it swallowed, as
   * HdrHistogram's coordinated-omission correction does. Without that, one 1 s stall is one
   * sample among hundreds and hides below the p99.
   */
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  meanMs: number
  /** The same from perf_hooks.monitorEventLoopDelay, uncorrected (one sample per stall). */
  raw: { samples: number; p50Ms: number; p99Ms: number; maxMs: number }
}

/** Event-loop delay of this process, for benchmarks. */
export interface LoopLagMonitor {
  snapshot(): LoopLagSnapshot
  reset(): void
  stop(): void
}

const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0)

/** Starts sampling the event-loop delay every `resolutionMs`. */
export function startLoopLagMonitor(resolutionMs = 10): LoopLagMonitor {
  const raw = monitorEventLoopDelay({ resolution: resolutionMs })
  raw.enable()
  const corrected: RecordableHistogram = createHistogram()
  const intervalNs = resolutionMs * 1e6
  let expected = performance.now() + resolutionMs
  let timer: NodeJS.Timeout | null = null
  const tick = () => {
    const now = performance.now()
    let lagNs = Math.max(1, Math.round((now - expected) * 1e6))
    corrected.record(lagNs)
    for (lagNs -= intervalNs; lagNs > 0; lagNs -= intervalNs) corrected.record(lagNs)
    expected = now + resolutionMs
    timer = setTimeout(tick, resolutionMs)
    timer.unref()
  }
  timer = setTimeout(tick, resolutionMs)
  timer.unref()
  return {
    snapshot: () => ({
      samples: corrected.count,
      p50Ms: ms(corrected.percentile(50)),
      p90Ms: ms(corrected.percentile(90)),
      p99Ms: ms(corrected.percentile(99)),
      maxMs: ms(corrected.max),
      meanMs: ms(corrected.mean),
      raw: { samples: raw.count, p50Ms: ms(raw.percentile(50)), p99Ms: ms(raw.percentile(99)), maxMs: ms(raw.max) },
    }),
    reset: () => {
      corrected.reset()
      raw.reset()
    },
    stop: () => {
      if (timer) clearTimeout(timer)
      timer = null
      raw.disable()
    },
  }
}
