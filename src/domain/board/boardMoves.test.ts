import { describe, expect, it } from 'vitest'
import { focusTarget, moveTarget, visibleWindow } from './boardMoves'

describe('board keyboard moves', () => {
  const counts = [3, 0, 2, 5]
  it('arrows move the focus within a column and to the nearest column with cards', () => {
    expect(focusTarget(counts, { column: 0, index: 1 }, 'ArrowDown')).toEqual({ column: 0, index: 2 })
    expect(focusTarget(counts, { column: 0, index: 2 }, 'ArrowDown')).toBeUndefined()
    expect(focusTarget(counts, { column: 0, index: 0 }, 'ArrowUp')).toBeUndefined()
    expect(focusTarget(counts, { column: 0, index: 2 }, 'ArrowRight')).toEqual({ column: 2, index: 1 })
    expect(focusTarget(counts, { column: 2, index: 1 }, 'ArrowLeft')).toEqual({ column: 0, index: 1 })
    expect(focusTarget(counts, { column: 3, index: 4 }, 'ArrowRight')).toBeUndefined()
    expect(focusTarget(counts, { column: 3, index: 4 }, 'Home')).toEqual({ column: 3, index: 0 })
    expect(focusTarget(counts, { column: 0, index: 0 }, 'End')).toEqual({ column: 0, index: 2 })
  })
  it('Shift+←/→ targets the previous or next stage, nothing past the ends', () => {
    const stages = ['new', 'won', 'lost']
    expect(moveTarget(stages, 0, 1)).toBe('won')
    expect(moveTarget(stages, 2, -1)).toBe('won')
    expect(moveTarget(stages, 0, -1)).toBeUndefined()
    expect(moveTarget(stages, 2, 1)).toBeUndefined()
    expect(moveTarget(stages, -1, 1)).toBeUndefined()
  })
  it('renders only the cards in view plus the overscan', () => {
    expect(visibleWindow(0, 500, 100, 20000, 2)).toEqual({ start: 0, end: 7 })
    expect(visibleWindow(100_000, 500, 100, 20000, 2)).toEqual({ start: 998, end: 1007 })
    expect(visibleWindow(1_999_800, 500, 100, 20000, 2)).toEqual({ start: 19996, end: 20000 })
    expect(visibleWindow(0, 500, 100, 3)).toEqual({ start: 0, end: 3 })
    expect(visibleWindow(-40, 0, 100, 0)).toEqual({ start: 0, end: 0 })
  })
})
