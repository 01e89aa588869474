import { describe, expect, it } from 'vitest'
import type { RuleRunLog } from './rule'
import { summarizeRuns } from './summarizeRuns'

const error = (at: string, message: string) => ({ at: `2026-12-0${at}T10:00:00.000Z`, message })

describe('summarizeRuns', () => {
  it('adds the writers\' counts, keeps the latest firing and the newest five errors', () => {
    const browser: RuleRunLog = {
      count: 3, lastAt: '2026-12-05T09:00:00.000Z', lastRecord: { entity: 'leads', recordId: 'l1' },
      errors: [error('5', 'e5'), error('3', 'e3'), error('1', 'e1')],
    }
    const relay: RuleRunLog = {
      count: 4, lastAt: '2026-12-06T08:00:00.000Z', lastRecord: { entity: 'deals', recordId: 'd9' },
      errors: [error('6', 'e6'), error('4', 'e4'), error('2', 'e2')],
    }
    const idle: RuleRunLog = { count: 0, lastAt: null, lastRecord: null, errors: [] }
    expect(summarizeRuns([browser, idle, relay])).toEqual({
      count: 7, lastAt: '2026-12-06T08:00:00.000Z', lastRecord: { entity: 'deals', recordId: 'd9' },
      errors: ['e6', 'e5', 'e4', 'e3', 'e2'].map((m) => error(m.slice(1), m)),
    })
    expect(summarizeRuns([relay, browser]).lastRecord).toEqual({ entity: 'deals', recordId: 'd9' })
  })

  it('is an empty log for no logs', () => {
    expect(summarizeRuns([])).toEqual({ count: 0, lastAt: null, lastRecord: null, errors: [] })
  })
})
