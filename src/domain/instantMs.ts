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

function parse(text: string): number {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 || text.charCodeAt(10) !== 84) return Date.parse(text)
  // digit positions of YYYY-MM-DDTHH:MM:SS.sss; each must be 0–9, and the rest the separators
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0
  for (let i = 0; i < 23; i++) {
    const c = text.charCodeAt(i)
    if (i === 4 || i === 7) { if (c !== 45) return Date.parse(text); continue }
    if (i === 10) continue
    if (i === 13 || i === 16) { if (c !== 58) return Date.parse(text); continue }
    if (i === 19) { if (c !== 46) return Date.parse(text); continue }
    const v = c - 48
    if (v < 0 || v > 9) return Date.parse(text)
    if (i < 4) year = year * 10 + v
    else if (i < 7) month = month * 10 + v
    else if (i < 10) day = day * 10 + v
    else if (i < 13) hour = hour * 10 + v
    else if (i < 16) minute = minute * 10 + v
    else if (i < 19) second = second * 10 + v
    else ms = ms * 10 + v
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!) || hour > 23 || minute > 59 || second > 59) return Date.parse(text)
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
}
