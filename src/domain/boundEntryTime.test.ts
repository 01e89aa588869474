import { describe, expect, it } from 'vitest'
import { boundEntryTime, boundWriterTime, isTimedEntryKey, MAX_CLOCK_AHEAD_MS } from './boundEntryTime'

const arrived = new Date('2026-06-01T12:00:00.000Z')
const change = (at: string) => ({ from: 'sales.new', to: 'sales.won', at, by: 'm1' })

describe('boundEntryTime', () => {
  it('sets a time a day ahead of the relay to the arrival time, keeping the rest of the entry', () => {
    expect(boundEntryTime(change('2026-06-02T12:00:00.000Z'), arrived)).toEqual(change('2026-06-01T12:00:00.000Z'))
    const issue = { kind: 'quote', at: '2026-06-02T08:00:00+02:00', by: 'm1', terms: '', valid_until: null }
    expect(boundEntryTime(issue, arrived)).toEqual({ ...issue, at: '2026-06-01T12:00:00.000Z' })
  })

  it('keeps past times (offline work) and times within the allowed skew', () => {
    expect(boundEntryTime(change('2026-05-20T09:00:00.000Z'), arrived)).toBeNull()
    expect(boundEntryTime(change(new Date(arrived.getTime() + MAX_CLOCK_AHEAD_MS).toISOString()), arrived)).toBeNull()
    expect(boundEntryTime(change(new Date(arrived.getTime() + MAX_CLOCK_AHEAD_MS + 1).toISOString()), arrived)).toEqual(change(arrived.toISOString()))
  })

  it('leaves what has no readable time alone', () => {
    for (const value of [null, 'x', [change('2030-01-01T00:00:00.000Z')], { at: 5 }, { at: 'tomorrow' }]) expect(boundEntryTime(value, arrived)).toBeNull()
  })
})

describe('boundWriterTime (an edit stamp)', () => {
  it('keeps a past or skewed time, dates a day-ahead, missing or unreadable one at the arrival', () => {
    expect(boundWriterTime('2026-05-20T09:00:00+02:00', arrived)).toBe('2026-05-20T07:00:00.000Z')
    expect(boundWriterTime(new Date(arrived.getTime() + MAX_CLOCK_AHEAD_MS).toISOString(), arrived)).toBe(new Date(arrived.getTime() + MAX_CLOCK_AHEAD_MS).toISOString())
    for (const at of ['2026-06-02T12:00:00.000Z', undefined, 'tomorrow']) expect(boundWriterTime(at, arrived)).toBe(arrived.toISOString())
  })
})

describe('isTimedEntryKey', () => {
  it('names the stage changes and issued documents, not their numbers, fields or $ keys', () => {
    expect(isTimedEntryKey('stage@c1')).toBe(true)
    expect(isTimedEntryKey('document@i1')).toBe(true)
    for (const key of ['number@i1', 'deals.stage', '$createdAt', 'stage@', 'stage@a b']) expect(isTimedEntryKey(key)).toBe(false)
  })
})
