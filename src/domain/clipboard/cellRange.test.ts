import { describe, expect, it } from 'vitest'
import { cellRange, extendRange, rangeBounds, rangeCellCount, rangeContains, spanOf } from './cellRange'

describe('cellRange', () => {
  it('has the same bounds whichever corner the selection started from', () => {
    const down = cellRange({ row: 2, col: 1 }, { row: 5, col: 3 })
    const up = cellRange({ row: 5, col: 3 }, { row: 2, col: 1 })
    expect(rangeBounds(down)).toEqual({ top: 2, bottom: 5, left: 1, right: 3 })
    expect(rangeBounds(up)).toEqual(rangeBounds(down))
    expect(rangeCellCount(rangeBounds(down))).toBe(12)
  })

  it('is one cell when started', () => {
    const b = rangeBounds(cellRange({ row: 4, col: 0 }))
    expect(b).toEqual({ top: 4, bottom: 4, left: 0, right: 0 })
    expect(rangeContains(b, 4, 0)).toBe(true)
    expect(rangeContains(b, 4, 1)).toBe(false)
  })

  it('moves the focus end only, kept inside the list', () => {
    let r = cellRange({ row: 1, col: 1 })
    r = extendRange(r, 1, 0, 10, 3)
    r = extendRange(r, 0, 5, 10, 3)
    expect(r).toEqual({ anchor: { row: 1, col: 1 }, focus: { row: 2, col: 2 } })
    r = extendRange(r, -9, -9, 10, 3)
    expect(r.focus).toEqual({ row: 0, col: 0 })
    expect(rangeBounds(r)).toEqual({ top: 0, bottom: 1, left: 0, right: 1 })
  })

  it('spans two ranges for a redraw of both', () => {
    expect(spanOf({ top: 1, bottom: 2, left: 3, right: 3 }, { top: 5, bottom: 6, left: 0, right: 1 })).toEqual({ top: 1, bottom: 6, left: 0, right: 3 })
    expect(spanOf(null, { top: 1, bottom: 1, left: 1, right: 1 })).toEqual({ top: 1, bottom: 1, left: 1, right: 1 })
  })
})
