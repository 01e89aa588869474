import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import { stageChangesOf } from '../pipelines/stageHistory'
import { stageTimeline } from './stageTimeline'

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
    const t = stageTimeline(row)
    expect([...t.to]).toEqual(stageChangesOf(row).map((c) => c.to))
    expect([...t.to]).toEqual(['sales.new', 'sales.lost', 'sales.won'])
    expect([...t.ms]).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 9), Date.UTC(2026, 0, 9)])
  })

  it('is read once per row object; a changed record (a new Row) is read again', () => {
    const row: Row = { id: 'd', createdAt: '', createdBy: 'u1', values: { 'stage@a': change(null, 'sales.new', '2026-01-01T00:00:00.000Z') } as unknown as Row['values'] }
    expect(stageTimeline(row)).toBe(stageTimeline(row))
    const moved: Row = { ...row, values: { ...row.values, 'stage@b': change('sales.new', 'sales.qualified', '2026-01-02T00:00:00.000Z') } as unknown as Row['values'] }
    expect([...stageTimeline(moved).to]).toEqual(['sales.new', 'sales.qualified'])
    expect(stageTimeline(row).length).toBe(1)
  })
})
