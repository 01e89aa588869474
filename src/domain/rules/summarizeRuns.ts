import type { RuleRunLog } from './rule'

/** A log keeps its newest errors only, newest first. */
export const RUN_ERRORS_MAX = 5

const time = (at: string | null) => (at === null ? -Infinity : Date.parse(at) || -Infinity)

/**
 * One rule's logs from every writer (each browser and the relay counts its own firings, so none
 * is lost when two fire apart) as one: counts added, the latest firing and its record, the
 * errors of all merged newest first, at most RUN_ERRORS_MAX.
 */
export function summarizeRuns(logs: Iterable<RuleRunLog>): RuleRunLog {
  const out: RuleRunLog = { count: 0, lastAt: null, lastRecord: null, errors: [] }
  for (const log of logs) {
    out.count += log.count
    if (log.lastAt !== null && time(log.lastAt) > time(out.lastAt)) {
      out.lastAt = log.lastAt
      out.lastRecord = log.lastRecord
    }
    out.errors.push(...log.errors)
  }
  out.errors.sort((a, b) => time(b.at) - time(a.at))
  out.errors.length = Math.min(out.errors.length, RUN_ERRORS_MAX)
  return out
}
