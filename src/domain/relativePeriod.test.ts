import { describe, expect, it } from 'vitest'
import { isRelativePeriod, previousSpan, resolvePeriod, spanDates, spanInstants, spanTest, type RelativePeriod } from './relativePeriod'

const at = (iso: string, timeZone = 'Europe/Berlin', weekStart?: number) => ({ now: new Date(iso), timeZone, weekStart })
const dates = (period: RelativePeriod, clock: ReturnType<typeof at>) => {
  const d = spanDates(resolvePeriod(period, clock))
  return `${d.from}…${d.to}`
}

describe('relative periods in the workspace\'s time zone', () => {
  it('this, last and next week, month, quarter and year across a year end: 31 Dec 23:30 UTC is already New Year in Berlin', () => {
    const newYear = at('2026-12-31T23:30:00Z')
    expect(dates('today', newYear)).toBe('2027-01-01…2027-01-01')
    expect(dates('yesterday', newYear)).toBe('2026-12-31…2026-12-31')
    expect(dates('tomorrow', newYear)).toBe('2027-01-02…2027-01-02')
    expect(dates('thisMonth', newYear)).toBe('2027-01-01…2027-01-31')
    expect(dates('lastMonth', newYear)).toBe('2026-12-01…2026-12-31')
    expect(dates('nextMonth', newYear)).toBe('2027-02-01…2027-02-28')
    expect(dates('thisQuarter', newYear)).toBe('2027-01-01…2027-03-31')
    expect(dates('lastQuarter', newYear)).toBe('2026-10-01…2026-12-31')
    expect(dates('nextQuarter', newYear)).toBe('2027-04-01…2027-06-30')
    expect(dates('thisYear', newYear)).toBe('2027-01-01…2027-12-31')
    expect(dates('lastYear', newYear)).toBe('2026-01-01…2026-12-31')
    expect(dates('nextYear', newYear)).toBe('2028-01-01…2028-12-31')
    // 1 Jan 2027 is a Friday: its ISO week began on Monday 28 Dec
    expect(dates('thisWeek', newYear)).toBe('2026-12-28…2027-01-03')
    expect(dates('lastWeek', newYear)).toBe('2026-12-21…2026-12-27')
    expect(dates('nextWeek', newYear)).toBe('2027-01-04…2027-01-10')
    // the same instant in New York is still the old year
    const newYork = at('2026-12-31T23:30:00Z', 'America/New_York')
    expect(dates('today', newYork)).toBe('2026-12-31…2026-12-31')
    expect(dates('nextQuarter', newYork)).toBe('2027-01-01…2027-03-31')
    expect(dates('nextMonth', newYork)).toBe('2027-01-01…2027-01-31')
    expect(dates('nextYear', newYork)).toBe('2027-01-01…2027-12-31')
  })

  it('a week starting on Sunday; next month from the 31st is the whole next month', () => {
    // Wednesday 14 Jan 2026
    expect(dates('thisWeek', at('2026-01-14T12:00:00Z', 'UTC', 7))).toBe('2026-01-11…2026-01-17')
    expect(dates('nextWeek', at('2026-01-14T12:00:00Z', 'UTC', 7))).toBe('2026-01-18…2026-01-24')
    expect(dates('nextMonth', at('2026-01-31T12:00:00Z', 'UTC'))).toBe('2026-02-01…2026-02-28')
    expect(dates('lastQuarter', at('2026-05-20T12:00:00Z', 'UTC'))).toBe('2026-01-01…2026-03-31')
  })

  it('last and next N days count today, for any N; the period before steps back by N', () => {
    const clock = at('2026-03-01T10:00:00Z', 'UTC')
    expect(dates('last30Days', clock)).toBe('2026-01-31…2026-03-01')
    expect(dates('last14Days', clock)).toBe('2026-02-16…2026-03-01')
    expect(dates('next14Days', clock)).toBe('2026-03-01…2026-03-14')
    expect(dates('next1Days', clock)).toBe('2026-03-01…2026-03-01')
    expect(spanDates(previousSpan(resolvePeriod('next14Days', clock))!)).toEqual({ from: '2026-02-15', to: '2026-02-28' })
    for (const ok of ['last7Days', 'next365Days', 'last3660Days', 'nextQuarter', 'tomorrow']) expect(isRelativePeriod(ok), ok).toBe(true)
    for (const bad of ['last0Days', 'next07Days', 'last3661Days', 'last-1Days', 'nextDays', 'next1.5Days', 'lastCentury', 42]) expect(isRelativePeriod(bad), String(bad)).toBe(false)
  })

  it('across the DST changes: "today" is 23 hours on the spring day, 25 on the autumn one, and date-times are tested by their local day', () => {
    const spring = resolvePeriod('today', at('2026-03-29T12:00:00Z'))
    const { startMs, endMs } = spanInstants(spring, 'Europe/Berlin')
    expect([new Date(startMs).toISOString(), new Date(endMs).toISOString()]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'])
    const autumn = spanInstants(resolvePeriod('today', at('2026-10-25T12:00:00Z')), 'Europe/Berlin')
    expect((autumn.endMs - autumn.startMs) / 3_600_000).toBe(25)
    const clock = at('2026-03-29T12:00:00Z')
    const inToday = spanTest('dateTime', resolvePeriod('today', clock), clock)
    expect(inToday('2026-03-28T22:59:59.000Z')).toBe(false) // 28 Mar 23:59:59 CET
    expect(inToday('2026-03-28T23:00:00.000Z')).toBe(true) // 29 Mar 00:00 CET
    expect(inToday('2026-03-29T21:59:59.000Z')).toBe(true) // 29 Mar 23:59:59 CEST
    expect(inToday('2026-03-29T22:00:00.000Z')).toBe(false) // 30 Mar 00:00 CEST
    // a week over the autumn change: from Monday's midnight CEST to the next Monday's midnight CET
    const week = spanInstants(resolvePeriod('thisWeek', at('2026-10-25T12:00:00Z')), 'Europe/Berlin')
    expect([new Date(week.startMs).toISOString(), new Date(week.endMs).toISOString()]).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z'])
    // dates are days already: next 7 days from Sunday 29 Mar
    const inNext = spanTest('date', resolvePeriod('next7Days', clock), clock)
    expect(['2026-03-28', '2026-03-29', '2026-04-04', '2026-04-05'].map(inNext)).toEqual([false, true, true, false])
  })
})
