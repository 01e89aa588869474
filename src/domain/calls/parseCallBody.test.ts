import { describe, expect, it } from 'vitest'
import { parseCallBody } from './parseCallBody'

const now = new Date('2026-11-27T12:00:00Z')

describe('parseCallBody', () => {
  it('reads the other party\'s number with the workspace country: the caller inbound, the callee outbound', () => {
    for (const from of ['030 1234567', '+49 30 1234567', '(030) 123-4567', 'sip:+49301234567@pbx.example']) {
      const parsed = parseCallBody({ direction: 'inbound', from, to: '201' }, 'DE', now)
      expect(parsed, from).toMatchObject({ ok: true, call: { phone: '+49301234567', status: 'completed', startedAt: now.toISOString() } })
    }
    expect(parseCallBody({ direction: 'outbound', from: '201', to: '089 5551234' }, 'DE', now)).toMatchObject({ ok: true, call: { phone: '+49895551234' } })
  })

  it('a national number without a workspace country is refused with what to do', () => {
    expect(parseCallBody({ direction: 'inbound', from: '030 1234567' }, undefined, now)).toMatchObject({ ok: false, errors: [{ field: 'from', message: expect.stringMatching(/workspace country/) }] })
  })

  it('names every bad property and why', () => {
    const parsed = parseCallBody({ direction: 'up', started_at: '27.11.2026', duration_s: 'long', outcome: 'meh', recording_url: 'ftp://x.example/a', status: 'ringing', create_lead: 'yes', extra: 1 }, 'DE', now)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.errors.map((e) => e.field).sort()).toEqual(['create_lead', 'direction', 'duration_s', 'extra', 'member', 'outcome', 'recording_url', 'started_at'])
  })

  it('keeps the start in UTC, rounds the duration and takes numbers as strings', () => {
    const parsed = parseCallBody({ direction: 'inbound', from: '+4930123456', started_at: '2026-11-27T14:03:00+01:00', duration_s: '12.6', member: 201, status: 'ringing' }, 'DE', now)
    expect(parsed).toMatchObject({ ok: true, call: { startedAt: '2026-11-27T13:03:00.000Z', durationS: 13, member: '201', status: 'ringing' } })
  })

  it('a date without a time or zone is not a start time', () => {
    for (const started_at of ['2026-11-27', '2026-11-27T14:03:00', 'now']) {
      expect(parseCallBody({ direction: 'inbound', from: '+4930123456', started_at }, 'DE', now), started_at).toMatchObject({ ok: false, errors: [{ field: 'started_at' }] })
    }
  })
})
