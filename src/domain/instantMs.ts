import { DAY_MS } from './localDays'

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Day number (0 = 1970-01-01) of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468
}

/**
 * Date.parse for the instants Kanso stores (`toISOString`: `2026-03-29T01:00:00.000Z`), read
 * from their digits — reports parse several per record, and Date.parse was most of a funnel's
 * time over 100k deals. Any other form (an offset, no milliseconds) goes to Date.parse.
 */
export function instantMs(text: string): number {
  // a report reads one instant several times in a row (its period, then its bucket)
  if (text === lastText) return lastMs
  lastMs = parse(text)
  lastText = text
  return lastMs
}

let lastText = '', lastMs = Number.NaN

// module-level, not closures made per call: tsx (the bench, the relay in development) names every
// function it makes (esbuild's keepNames: an Object.defineProperty per closure), which was most of
// parsing 300k instants
function digitAt(text: string, i: number): number {
  return text.charCodeAt(i) - 48
}

/** A non-digit reads below 0 or above 9, which sets a bit above the lowest four of x or of x + 6. */
function bad(x: number): number {
  return (x | (x + 6)) & ~15
}

function parse(text: string): number {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 || text.charCodeAt(10) !== 84) return Date.parse(text)
  // YYYY-MM-DDTHH:MM:SS.sss: the separators where they belong, digits everywhere else
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46) return Date.parse(text)
  const y0 = digitAt(text, 0), y1 = digitAt(text, 1), y2 = digitAt(text, 2), y3 = digitAt(text, 3), mo0 = digitAt(text, 5), mo1 = digitAt(text, 6), d0 = digitAt(text, 8), d1 = digitAt(text, 9)
  const h0 = digitAt(text, 11), h1 = digitAt(text, 12), mi0 = digitAt(text, 14), mi1 = digitAt(text, 15), s0 = digitAt(text, 17), s1 = digitAt(text, 18), ms0 = digitAt(text, 20), ms1 = digitAt(text, 21), ms2 = digitAt(text, 22)
  if (bad(y0) | bad(y1) | bad(y2) | bad(y3) | bad(mo0) | bad(mo1) | bad(d0) | bad(d1) | bad(h0) | bad(h1) | bad(mi0) | bad(mi1) | bad(s0) | bad(s1) | bad(ms0) | bad(ms1) | bad(ms2)) return Date.parse(text)
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = mo0 * 10 + mo1, day = d0 * 10 + d1
  const hour = h0 * 10 + h1, minute = mi0 * 10 + mi1, second = s0 * 10 + s1, ms = ms0 * 100 + ms1 * 10 + ms2
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!) || hour > 23 || minute > 59 || second > 59) return Date.parse(text)
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
}
