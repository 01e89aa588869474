import type { DurationUnit, RuleDuration } from './rule'

export const DURATION_UNIT_MS: Record<DurationUnit, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }

/** How long a duration lasts: a day is 24 hours here (due "in 1 day" is the same time tomorrow, whatever the zone). */
export function durationMs(duration: RuleDuration): number {
  return duration.amount * DURATION_UNIT_MS[duration.unit]
}
