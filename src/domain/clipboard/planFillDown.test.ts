import { describe, expect, it } from 'vitest'
import { planFillDown } from './planFillDown'

describe('planFillDown', () => {
  it("copies a range's first row into the rows under it", () => {
    expect(planFillDown({ top: 2, bottom: 5, left: 1, right: 3 })).toEqual({ sourceRow: 2, firstRow: 3, lastRow: 5, left: 1, right: 3 })
  })

  it('fills a one-row range from the row above', () => {
    expect(planFillDown({ top: 4, bottom: 4, left: 0, right: 0 })).toEqual({ sourceRow: 3, firstRow: 4, lastRow: 4, left: 0, right: 0 })
  })

  it('has nothing to fill on the first row alone', () => {
    expect(planFillDown({ top: 0, bottom: 0, left: 0, right: 2 })).toBeNull()
  })
})
