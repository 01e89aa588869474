import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import { stageChangesOf } from '../pipelines/stageHistory'
import { lastChangeInto, makeStageTimelineReader } from './stageTimeline'

const change = (from: string | null, to: string, at: string) => ({ from, to, at, by: 'u1' })

describe('stageTimeline', () => {
  it('holds the changes in stageChangesOf\'s order with their times parsed; malformed entries and other keys are left out', () => {
    const row: Row = {
      id: 'd', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u1',
      values: {
        'stage@b': change('sales.new', 'sales.won', '2026-01-09T00:00:00.000Z'),
        'stage@z': change(null, 'sales.new', '2026-01-01T00:00:00.000Z'),
        'stage@a': change('sales.new', 'sales.lost', '2026-01-09T00:00:00.000Z'),
        'stage@bad': { to: 'sales.won' },
        'deals.title': 'x',
      } as unknown as Row['values'],
    }
    const t = makeStageTimelineReader()(row)
    expect(t.to.slice(0, t.length)).toEqual(stageChangesOf(row).map((c) => c.to))
    expect(t.to.slice(0, t.length)).toEqual(['sales.new', 'sales.lost', 'sales.won'])
    expect([...t.ms.subarray(0, t.length)]).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 9), Date.UTC(2026, 0, 9)])
    // the last change into a stage in the same order: of two changes at one instant, the later key
    expect(lastChangeInto(row, 'sales.won')).toBe('2026-01-09T00:00:00.000Z')
    expect(lastChangeInto(row, 'sales.qualified')).toBeNull()
  })

  it('reads one deal after another into the same arrays: a shorter history after a longer one is read whole and alone', () => {
    const read = makeStageTimelineReader()
    const many = Array.from({ length: 12 }, (_, i) => [`stage@h${i}`, change(i ? `s${i - 1}` : null, `s${i}`, `2026-01-${String(20 - i).padStart(2, '0')}T00:00:00.000Z`)])
    const long: Row = { id: 'a', createdAt: '', createdBy: 'u1', values: Object.fromEntries(many) as unknown as Row['values'] }
    const t = read(long)
    expect(t.length).toBe(12)
    expect(t.to.slice(0, t.length)).toEqual(stageChangesOf(long).map((c) => c.to))
    const short: Row = { id: 'b', createdAt: '', createdBy: 'u1', values: { 'stage@a': change(null, 'sales.new', '2026-01-01T00:00:00.000Z') } as unknown as Row['values'] }
    const u = read(short)
    expect(u.length).toBe(1)
    expect(u.to[0]).toBe('sales.new')
    expect(u.ms[0]).toBe(Date.UTC(2026, 0, 1))
  })
})
