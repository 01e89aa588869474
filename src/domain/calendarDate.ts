/** A day on the Gregorian calendar, independent of any time zone. */
export interface CalendarDate { year: number; month: number; day: number }

// Years outside this range are almost always typos ("0226", "20266") in a CRM.
export const MIN_YEAR = 1000
export const MAX_YEAR = 9999

export function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return false
  if (!Number.isInteger(month) || month < 1 || month > 12) return false
  return Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month)
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

export function toIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Strict `YYYY-MM-DD` that names a real day, else undefined. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return undefined
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
  return isRealDate(date) ? date : undefined
}
