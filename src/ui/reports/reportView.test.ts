import { describe, expect, it } from 'vitest'
import type { Funnel } from '../../domain/reports/funnel'
import type { ReportDefinition, ReportResult } from '../../domain/reports/reportDefinition'
import type { ConditionField } from '../../domain/views/viewFilter'
import { engineReportView, funnelReportView } from './reportView'

const fields = new Map<string, ConditionField>([
  ['a.owner', { field: { id: 'a.owner', key: 'owner', label: 'Owner', type: 'member', order: 0 } }],
  ['a.type', { field: { id: 'a.type', key: 'type', label: 'Type', type: 'select', order: 1 } }],
  ['a.amount', { field: { id: 'a.amount', key: 'amount', label: 'Amount', type: 'money', order: 2 } }],
])

describe('engineReportView', () => {
  it('two groupings: a bar per outer group, a series per inner group of the first measure, with their records', () => {
    const def: ReportDefinition = { id: 'r', name: 'r', entity: 'activities', filters: [], groups: [{ field: 'a.owner' }, { field: 'a.type' }], measures: [{ key: 'n', label: 'Activities', op: 'count' }] }
    const result: ReportResult = { withoutRate: [], rows: [
      { keys: ['u1', 'Call'], labels: ['Ann', 'Call'], values: [2], recordIds: ['x', 'y'] },
      { keys: ['u1', 'Task'], labels: ['Ann', 'Task'], values: [1], recordIds: ['z'] },
      { keys: ['u2', 'Call'], labels: ['Bob', 'Call'], values: [3], recordIds: ['p', 'q', 'r'] },
    ] }
    const view = engineReportView(def, result, 'stackedBar', fields)
    expect(view.chart.labels).toEqual(['Ann', 'Bob'])
    expect(view.chart.series.map((s) => [s.label, s.data])).toEqual([['Call', [2, 3]], ['Task', [1, null]]])
    expect(view.chart.series[1]!.recordIds).toEqual([['z'], []])
    expect(view.columns.map((c) => c.label)).toEqual(['Owner', 'Type', 'Activities'])
    expect(view.rows[2]!.cells).toEqual(['Bob', 'Call', 3])
  })

  it('one grouping: the measures of the first one\'s kind side by side; a doughnut shows the first only', () => {
    const def: ReportDefinition = { id: 'r', name: 'r', entity: 'deals', filters: [], groups: [{ field: 'a.owner' }], measures: [
      { key: 'value', label: 'Value', op: 'sum', field: 'a.amount' }, { key: 'n', label: 'Deals', op: 'count' }, { key: 'avg', label: 'Average', op: 'avg', field: 'a.amount' },
    ] }
    const result: ReportResult = { currency: 'EUR', withoutRate: [], rows: [{ keys: ['u1'], labels: ['Ann'], values: [100, 2, 50] }] }
    expect(engineReportView(def, result, 'bar', fields).chart.series.map((s) => s.label)).toEqual(['Value', 'Average'])
    expect(engineReportView(def, result, 'doughnut', fields).chart.series.map((s) => s.label)).toEqual(['Value'])
  })
})

describe('funnelReportView', () => {
  it('counts per stage, conversions beside each, the deals behind each stage', () => {
    const stage = (id: string, count: number, prev: number | null, first: number | null, ids: string[]) => ({
      id, name: id, kind: 'open' as const, count, amount: count * 10, inStage: 0, conversionFromPrevious: prev, conversionFromFirst: first, dropOff: 0, avgDaysInStage: null, dealIds: ids,
    })
    const f: Funnel = {
      pipeline: { id: 'p', name: 'P' }, basis: 'created', from: null, to: null, currency: 'EUR', deals: 4, won: 1, lostCount: 1, winRate: 0.5, withoutRate: [],
      stages: [stage('New', 4, null, 1, ['a', 'b', 'c', 'd']), stage('Won', 1, 0.25, 0.25, ['a'])], lost: [{ id: 'l', name: 'Lost', count: 1, amount: 10, dealIds: ['e'] }],
    }
    const view = funnelReportView(f, 'funnel')
    expect(view.chart.series[0]!.data).toEqual([4, 1])
    expect(view.chart.notes).toEqual(['', '25% of previous · 25% of first'])
    expect(view.rows.map((r) => r.cells[0])).toEqual(['New', 'Won', 'Lost'])
    expect(view.chart.series[0]!.recordIds[1]).toEqual(['a'])
    // a click on the lost stage's row lists the deals lost
    expect(view.rows[2]!.recordIds).toEqual(['e'])
  })
})
