/**
 * A relay follower's checks, one at a time: what is asked while one runs is gathered into the
 * next run, so a burst of stored updates costs one or two checks, never a queue of them. A run
 * that throws is reported and the next request runs again.
 */
export interface SerialChecks<Reason extends string> {
  /** Asks for a run (soon, not in this call), for `reason`. */
  request(reason: Reason): void
  /** Resolves once no run is asked for or running (tests, shutdown). */
  idle(): Promise<void>
}

export function makeSerialChecks<Reason extends string>(run: (reasons: ReadonlySet<Reason>) => Promise<void>,
  failed: (error: Error) => void): SerialChecks<Reason> {
  let asked = new Set<Reason>()
  let running: Promise<void> | null = null
  const drain = async () => {
    while (asked.size > 0) {
      const reasons = asked
      asked = new Set()
      try {
        await run(reasons)
      } catch (error) {
        failed(error as Error)
      }
    }
  }
  return {
    request(reason) {
      asked.add(reason)
      running ??= Promise.resolve().then(drain).finally(() => { running = null })
    },
    async idle() {
      while (running) await running
    },
  }
}
