import { nDaysOf, type NamedPeriod } from '../../domain/relativePeriod'

/** The periods the filter editor offers, in the order it lists them; last/next N days come after, with a number of days. */
export const PICKED_PERIODS: readonly NamedPeriod[] = [
  'today', 'yesterday', 'tomorrow', 'thisWeek', 'lastWeek', 'nextWeek', 'thisMonth', 'lastMonth', 'nextMonth',
  'thisQuarter', 'lastQuarter', 'nextQuarter', 'thisYear', 'lastYear', 'nextYear', 'last12Months', 'past', 'future',
]

const NAMED: Record<NamedPeriod, string> = {
  today: 'today', yesterday: 'yesterday', tomorrow: 'tomorrow',
  thisWeek: 'this week', lastWeek: 'last week', nextWeek: 'next week',
  thisMonth: 'this month', lastMonth: 'last month', nextMonth: 'next month',
  thisQuarter: 'this quarter', lastQuarter: 'last quarter', nextQuarter: 'next quarter',
  thisYear: 'this year', lastYear: 'last year', nextYear: 'next year',
  last7Days: 'the last 7 days', last30Days: 'the last 30 days', last90Days: 'the last 90 days',
  next7Days: 'the next 7 days', next30Days: 'the next 30 days', next90Days: 'the next 90 days',
  last12Months: 'the last 12 months', past: 'the past', future: 'the future',
}

/** A period as a filter reads it: "this month", "the next 14 days"; an unknown name as itself. */
export function periodLabel(period: unknown): string {
  const n = nDaysOf(period)
  if (n) return `the ${n.direction} ${n.days === 1 ? 'day' : `${n.days} days`}`
  return typeof period === 'string' && period in NAMED ? NAMED[period as NamedPeriod] : String(period)
}
