import { describe, expect, test } from 'vitest'
import { utcToZonedTime, zonedTimeToUtc, zoneOffsetMs, type LocalDateTime } from './zonedTimeToUtc'

const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): LocalDateTime =>
  ({ year, month, day, hour, minute, second, millisecond })
const iso = (ms: number) => new Date(ms).toISOString()

describe('zonedTimeToUtc', () => {
  test('UTC is the identity', () => {
    expect(iso(zonedTimeToUtc(at(2026, 11, 27, 14, 5), 'UTC'))).toBe('2026-11-27T14:05:00.000Z')
  })

  test('standard and summer time in Berlin and New York', () => {
    expect(iso(zonedTimeToUtc(at(2026, 11, 27, 14, 5), 'Europe/Berlin'))).toBe('2026-11-27T13:05:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 7, 1, 14, 5), 'Europe/Berlin'))).toBe('2026-07-01T12:05:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 11, 27, 14, 5), 'America/New_York'))).toBe('2026-11-27T19:05:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 7, 1, 14, 5, 30, 250), 'America/New_York'))).toBe('2026-07-01T18:05:30.250Z')
  })

  test('zones with half-hour offsets and across the date line', () => {
    expect(iso(zonedTimeToUtc(at(2026, 1, 1, 0, 0), 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 1, 1, 12, 0), 'Pacific/Kiritimati'))).toBe('2025-12-31T22:00:00.000Z')
  })

  test('a time skipped by the spring DST jump moves forward by the jump', () => {
    // Berlin 2026-03-29: 02:00 → 03:00, so 02:30 does not exist; it becomes 03:30 (01:30Z).
    expect(iso(zonedTimeToUtc(at(2026, 3, 29, 2, 30), 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 3, 29, 3, 0), 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z')
  })

  test('a time repeated by the autumn DST change takes the earlier instant', () => {
    // Berlin 2026-10-25: 03:00 → 02:00, so 02:30 happens at 00:30Z and again at 01:30Z.
    expect(iso(zonedTimeToUtc(at(2026, 10, 25, 2, 30), 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z')
    expect(iso(zonedTimeToUtc(at(2026, 11, 1, 1, 30), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z')
  })

  test('utcToZonedTime reads the wall clock back', () => {
    expect(utcToZonedTime(Date.parse('2026-10-25T01:30:00.123Z'), 'Europe/Berlin')).toEqual(at(2026, 10, 25, 2, 30, 0, 123))
    expect(utcToZonedTime(Date.parse('1969-12-31T23:59:59.900Z'), 'UTC')).toEqual(at(1969, 12, 31, 23, 59, 59, 900))
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000)
  })

  test('round trip over a year of hours in several zones', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_600_000 * 7 + 60_000 * 13) {
        const local = utcToZonedTime(ms, zone)
        const back = zonedTimeToUtc(local, zone)
        // Only a repeated hour may map to the earlier instant.
        if (back !== ms) expect(back).toBeLessThan(ms)
        expect(utcToZonedTime(back, zone)).toEqual(local)
      }
    }
  })

  test('unknown zones throw like Intl', () => {
    expect(() => zonedTimeToUtc(at(2026, 1, 1), 'Mars/Olympus')).toThrow(RangeError)
  })
})
