import { describe, expect, it } from 'vitest'
import { cellEditP95, floorMissing, keystrokeToFrameMs, perFloor } from './budgets'
import type { CellEditSample } from './editCells'
import type { FloorRun } from './measureFloor'
import type { OpenRun, OpenSample } from './measureOpen'

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
