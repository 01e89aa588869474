import { describe, expect, it } from 'vitest'
import { backupFigures, cellEditP95, dashboardFigures, duplicatesFigures, exportFigures, floorMissing, importFigures, keystrokeToFrameMs, perFloor, rulesFigures } from './budgets'
import type { RulesBenchResult } from './measureRules'
import type { CellEditSample } from './editCells'
import type { FloorRun } from './measureFloor'
import type { OpenRun, OpenSample } from './measureOpen'
import { slowestReport } from './measureReports'

const run = (shownMs: number): OpenRun => ({
  shownMs, rowsMs: shownMs - 10, syncedMs: null, longestTaskMs: 0, longTaskCount: 0, longTaskWindowMs: 0,
  longTasks: [], longTaskError: null, heap: null, marks: {},
})

const floorRun = (shownMs: number, editMs: number | null): FloorRun => ({
  shownMs, rowsMs: shownMs - 10, longTasks: [],
  edit: { header: 'Position', rowId: 'r', colId: 'c', value: 'v', clickedMs: shownMs + 20, storedMs: editMs, keptAfterLoad: null },
})

const edit = (changedMs: number | null, frameMs: number | null, paintedMs: number | null): CellEditSample =>
  ({ rowId: 'r', colId: 'c', expected: 'v', handlerLagMs: 0, changedMs, frameMs, paintedMs })

function sample(o: { stored: number; fresh: number; editStored: number; floor: OpenSample['floor'] }): OpenSample {
  return {
    fresh: run(o.fresh),
    stored: {
      ...run(o.stored), docLoadedMs: 2000, cellEdits: [],
      edit: { header: 'Position', rowId: 'r', colId: 'c', value: 'v', clickedMs: o.stored + 40, storedMs: o.editStored, keptAfterLoad: true },
    },
    floor: o.floor,
    jsonParseMs: [100, 100, 100],
    storedRows: {},
    stepsMs: {},
    browserIdle: [],
  }
}

describe('open budgets against the floor page (B1, B2, B7)', () => {
  const both = [
    sample({ stored: 600, fresh: 700, editStored: 1000, floor: { stored: floorRun(500, 625), relay: floorRun(500, null), errors: [], box: null } }),
    sample({ stored: 900, fresh: 800, editStored: 1200, floor: { stored: floorRun(600, 1000), relay: floorRun(800, null), errors: [], box: null } }),
  ]

  it('divides each repetition by its own floor opens', () => {
    expect(perFloor(both, (s) => s.stored.shownMs, (f) => f.stored?.shownMs)).toEqual([1.2, 1.5])
    expect(perFloor(both, (s) => s.stored.edit.storedMs, (f) => f.stored?.edit.storedMs)).toEqual([1.6, 1.2])
    expect(perFloor(both, (s) => s.fresh.shownMs, (f) => f.relay?.shownMs)).toEqual([1.4, 1])
    expect(floorMissing(both, 'stored')).toBeUndefined()
  })

  it('leaves out a repetition whose floor open failed; with none left, says why', () => {
    const failed = [
      sample({ stored: 600, fresh: 700, editStored: 1000, floor: { stored: null, relay: null, errors: ['floor page (stored): no stored snapshot', 'floor page (relay): GET /api/schema answered 401'], box: null } }),
      sample({ stored: 900, fresh: 800, editStored: 1200, floor: { stored: null, relay: floorRun(400, null), errors: ['floor page (stored): timeout'], box: null } }),
    ]
    expect(perFloor(failed, (s) => s.fresh.shownMs, (f) => f.relay?.shownMs)).toEqual([2])
    expect(perFloor(failed, (s) => s.stored.shownMs, (f) => f.stored?.shownMs)).toEqual([])
    expect(floorMissing(failed, 'stored')).toBe('not measured (floor page (stored): no stored snapshot)')
    expect(floorMissing(failed, 'relay')).toBeUndefined()
    expect(floorMissing([sample({ stored: 1, fresh: 1, editStored: 1, floor: null })], 'relay')).toBe('not measured (the floor page was not opened)')
  })
})

describe('B5: the keystroke\'s task plus its frame\'s rendering', () => {
  it('leaves out the wait between the task and the frame', () => {
    // text in the grid 12 ms after the keydown; the frame starts at 25 ms and is rendered at 29 ms
    expect(keystrokeToFrameMs(edit(12, 25, 29))).toBe(16)
  })

  it('counts an edit whose cell never showed the value as ∞, and takes the p95 of a repetition', () => {
    expect(keystrokeToFrameMs(edit(null, null, null))).toBe(Infinity)
    const edits = Array.from({ length: 19 }, (_, i) => edit(5 + i * 0.1, 20, 22)).concat(edit(30, 40, 50))
    // nearest rank: the 19th of 20 sorted samples (6.8 + 2)
    expect(cellEditP95(edits)).toBeCloseTo(8.8)
    expect(cellEditP95([...edits.slice(1), edit(null, null, null)])).toBe(40)
  })
})

describe('B21, B22: rules per cell edit and the time-based pass', () => {
  const result: RulesBenchResult = {
    rules: 50, editsPerRep: 2000, editP95Ms: [0.08, 0.09, 1.4, 0.07, 0.1], editP50Ms: [0.02, 0.02, 0.02, 0.02, 0.02], uncachedEditP95Ms: [0.3, 0.3, 0.3, 0.3, 0.3],
    editsFiring: 8000, writesPlanned: 12000, records: 100_000, timedRules: 5, timedPassMs: [60, 250, 70, 65, 90], dueFirings: 45_000,
  }

  it('takes each repetition\'s p95 per edit and each pass as samples, against 1 ms and 200 ms', () => {
    const [b21, b22] = rulesFigures({ ms: 1, result })
    expect(b21).toMatchObject({ id: 'B21', unit: 'ms', samples: result.editP95Ms, budget: { op: '≤', limit: 1 }, notMeasured: undefined })
    expect(b22).toMatchObject({ id: 'B22', unit: 'ms', samples: result.timedPassMs, budget: { op: '≤', limit: 200 }, notMeasured: undefined })
    expect(b22!.what).toContain('100,000 records')
  })

  it('says why when the part failed or did not run', () => {
    expect(rulesFigures({ ms: 1, error: 'no edit fired a rule: the bench measures nothing\nat …' }).slice(0, 2).map((f) => f.notMeasured))
      .toEqual(['not measured (no edit fired a rule: the bench measures nothing)', 'not measured (no edit fired a rule: the bench measures nothing)'])
    expect(rulesFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B21)')
  })
})

describe('B23 and B24: the slowest report of a repetition', () => {
  it('names the report whose median took longest; none when nothing ran', () => {
    expect(slowestReport({ sales_funnel: 41.5, forecast: 12, deals_created_vs_won: 57.25 })).toEqual({ id: 'deals_created_vs_won', ms: 57.25 })
    expect(slowestReport({})).toBeNull()
  })
})

describe('B25: the dashboard update after a teammate\'s edit', () => {
  const result = { deals: 20_000, activities: 40_000, tiles: 6, dealTiles: 5, edits: 40, p95Ms: [30, 34, 31], medianMs: [20, 21, 22] }
  it('budgets the p95 per repetition at 50 ms, the median as context', () => {
    const [b25, median] = dashboardFigures({ ms: 1, result })
    expect(b25).toMatchObject({ id: 'B25', unit: 'ms', samples: [30, 34, 31], budget: { op: '≤', limit: 50 }, notMeasured: undefined })
    expect(b25!.what).toContain('20,000 deals')
    expect(median).toMatchObject({ id: '', samples: [20, 21, 22] })
  })
  it('says why when the part failed or did not run', () => {
    expect(dashboardFigures({ ms: 1, error: 'no deals\nat …' })[0]!.notMeasured).toBe('not measured (no deals)')
    expect(dashboardFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B25)')
  })
})

describe('B27: a backup of the workspace', () => {
  const result = { records: 100_000, backupMs: [4200, 3900, 4400], bytes: [60e6, 60e6, 60e6], lagP99Ms: [12, 20, 15], lagMaxMs: [40, 60, 45], busyP99Ms: [30, 31, 32], loadAverage: [1, 2] as [number, number] }
  it('budgets the backup at 10 s and the loop lag p99 meanwhile at 50 ms', () => {
    const [time, lag, max, size] = backupFigures({ ms: 1, result })
    expect(time).toMatchObject({ id: 'B27', unit: 'ms', samples: [4200, 3900, 4400], budget: { op: '≤', limit: 10_000 }, notMeasured: undefined })
    expect(time!.what).toContain('100,000-record workspace')
    expect(lag).toMatchObject({ id: 'B27b', samples: [12, 20, 15], budget: { op: '≤', limit: 50 } })
    expect(max).toMatchObject({ id: '', samples: [40, 60, 45] })
    expect(size).toMatchObject({ id: '', unit: 'bytes' })
  })
  it('says why when the part failed or did not run', () => {
    expect(backupFigures({ ms: 1, error: 'relay gone\nat …' })[1]!.notMeasured).toBe('not measured (relay gone)')
    expect(backupFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B27)')
  })
})

describe('B26: a CSV of 100k contacts imported in the app, and over HTTP without a budget', () => {
  const series = (...v: number[]) => v
  const result = {
    rows: 100_000, bytes: 7e6, loadAverage: [1, 2] as [number, number],
    app: {
      importMs: series(8200, 7900, 8400), headerMs: series(100, 90, 110), planMs: series(2000, 2100, 1900), writeMs: series(5000, 5100, 4900),
      longestTaskMs: series(120, 90, 150), longTasks: series(3, 2, 4), progressValues: series(40, 38, 41), syncedMs: series(900, 800, 1000),
      lagP99Ms: series(30, 42, 35), lagMaxMs: series(60, 80, 70), created: series(100_000, 100_000, 100_000),
    },
    http: { importMs: series(22_000, 23_000, 21_000), lagP99Ms: series(700, 757, 650), lagMaxMs: series(900, 1000, 950), created: series(100_000, 100_000, 100_000) },
  }
  it('budgets the app import at 10 s, its longest task at 200 ms and at least 5 progress values; the HTTP import is reported without a budget', () => {
    const figures = importFigures({ ms: 1, result })
    const [time, task, bar] = figures
    expect(time).toMatchObject({ id: 'B26', unit: 'ms', samples: [8200, 7900, 8400], budget: { op: '≤', limit: 10_000 }, notMeasured: undefined })
    expect(time!.what).toContain('100,000 contacts')
    expect(time!.what).toContain('in the app')
    expect(task).toMatchObject({ id: 'B26b', samples: [120, 90, 150], budget: { op: '≤', limit: 200 } })
    expect(bar).toMatchObject({ id: 'B26c', samples: [40, 38, 41], budget: { op: '≥', limit: 5 } })
    const http = figures.find((f) => f.id === 'B26h')!
    expect(http).toMatchObject({ samples: [22_000, 23_000, 21_000] })
    expect(http.budget).toBeUndefined()
    expect(figures.filter((f) => f.budget).map((f) => f.id)).toEqual(['B26', 'B26b', 'B26c'])
  })
  it('says why when the part failed or did not run; results from before keep their HTTP figure', () => {
    expect(importFigures({ ms: 1, error: 'relay gone\nat …' })[1]!.notMeasured).toBe('not measured (relay gone)')
    expect(importFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B26)')
    const before = importFigures({ ms: 1, result: { rows: 100_000, importMs: [22_600], lagP99Ms: [757], lagMaxMs: [900] } })
    expect(before[0]!.notMeasured).toBe('not run (results from before B26 measured the import in the app)')
    expect(before.find((f) => f.id === 'B26h')!.samples).toEqual([22_600])
  })
})

describe('B28: 100k contacts exported as CSV and XLSX over HTTP', () => {
  const result = { rows: 100_000, csvMs: [3200, 3100, 3500], xlsxMs: [4200, 4800, 4100], csvBytes: [16e6, 16e6, 16e6], xlsxBytes: [12e6, 12e6, 12e6], csvLagP99Ms: [20, 25, 22], xlsxLagP99Ms: [30, 35, 31], lagMaxMs: [60, 70, 65], loadAverage: [1, 2] as [number, number] }
  it('budgets each export at 5 s; the loop lag meanwhile is context', () => {
    const [csv, xlsx, csvLag, xlsxLag, max, csvSize, xlsxSize] = exportFigures({ ms: 1, result })
    expect(csv).toMatchObject({ id: 'B28', unit: 'ms', samples: [3200, 3100, 3500], budget: { op: '≤', limit: 5_000 }, notMeasured: undefined })
    expect(csv!.what).toContain('100,000 contacts')
    expect(xlsx).toMatchObject({ id: 'B28b', samples: [4200, 4800, 4100], budget: { op: '≤', limit: 5_000 } })
    expect([csvLag, xlsxLag, max].map((f) => [f!.id, f!.budget])).toEqual([['', undefined], ['', undefined], ['', undefined]])
    expect(csvLag!.samples).toEqual([20, 25, 22])
    expect([csvSize!.unit, xlsxSize!.unit]).toEqual(['bytes', 'bytes'])
    expect(exportFigures({ ms: 1, result }).find((f) => f.id === 'B28c')!.notMeasured).toMatch(/^not measured \(no app/)
  })
  it('budgets the page\'s longest task during the app\'s exports at 200 ms; their times are context', () => {
    const app = { csvMs: [4000, 4200, 3900], xlsxMs: [6000, 6300, 5900], longestTaskMs: [120, 134, 90], progressValues: [150, 180, 170] }
    const figures = exportFigures({ ms: 1, result: { ...result, app } })
    expect(figures.find((f) => f.id === 'B28c')).toMatchObject({ unit: 'task', samples: [120, 134, 90], budget: { op: '≤', limit: 200 }, notMeasured: undefined })
    expect(figures.filter((f) => f.what.startsWith('B28c in the app')).map((f) => f.samples)).toEqual([[4000, 4200, 3900], [6000, 6300, 5900]])
  })
  it('says why when the part failed or did not run', () => {
    expect(exportFigures({ ms: 1, error: 'relay gone\nat …' })[1]!.notMeasured).toBe('not measured (relay gone)')
    expect(exportFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B28)')
  })
})

describe('B29: duplicates over 100k contacts', () => {
  it('is the median of findDuplicates runs against 1000 ms, with what it found', () => {
    const figures = duplicatesFigures({ ms: 1, result: { contacts: 100_000, planted: { email: 400, phone: 300, typo: 300 }, findMs: [640, 700, 610], cpuMs: [600, 650, 590], groups: 1200, found: { email: 400, phone: 300, typo: 280 } } })
    expect(figures[0]).toMatchObject({ id: 'B29', unit: 'ms', samples: [640, 700, 610], budget: { op: '≤', limit: 1000 }, notMeasured: undefined })
    expect(figures[0]!.note).toContain('typo 280/300')
    expect(duplicatesFigures(undefined)[0]!.notMeasured).toBe('not run (results from before B29)')
  })
})
