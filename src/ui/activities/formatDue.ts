import { calendarDayOfMs } from '../../domain/activities/calendarDayOfMs'

const formats = new Map<string, Intl.DateTimeFormat>()
function format(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`
  let f = formats.get(key)
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })))
  return f
}

/** "today 14:30", "tomorrow 09:00", "yesterday 16:00", else "12 Jun 2026, 09:00" — in the member's zone. */
export function formatDue(ms: number, now: number, timeZone: string, locale: string): string {
  const day = calendarDayOfMs(ms, timeZone)
  const today = calendarDayOfMs(now, timeZone)
  const days = Math.round((Date.UTC(day.year, day.month - 1, day.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000)
  const time = format(locale, timeZone, { timeStyle: 'short' }).format(ms)
  if (days === 0) return `today ${time}`
  if (days === 1) return `tomorrow ${time}`
  if (days === -1) return `yesterday ${time}`
  if (days > 1 && days < 7) return format(locale, timeZone, { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(ms)
  return format(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(ms)
}
