import { describe, expect, it } from 'vitest'
import { planPaste } from './planPaste'

const at = (row: number, col: number) => ({ top: row, bottom: row, left: col, right: col })

describe('planPaste', () => {
  it('puts a block at the target cell', () => {
    expect(planPaste([['a', 'b'], ['c', 'd']], at(1, 1), 10, 5)).toEqual({
      cells: [{ row: 1, col: 1, text: 'a' }, { row: 1, col: 2, text: 'b' }, { row: 2, col: 1, text: 'c' }, { row: 2, col: 2, text: 'd' }],
      newRows: 0,
      droppedColumns: 0,
    })
  })

  it('adds rows for a block longer than the rows below, and drops columns past the last', () => {
    const plan = planPaste([['a', 'b', 'c'], ['d', 'e', 'f'], ['g', 'h', 'i']], at(3, 3), 5, 5)
    expect(plan.newRows).toBe(1)
    expect(plan.droppedColumns).toBe(1)
    expect(plan.cells.map((c) => `${c.row}:${c.col}:${c.text}`)).toEqual(['3:3:a', '3:4:b', '4:3:d', '4:4:e', '5:3:g', '5:4:h'])
  })

  it('pastes into an empty list as new rows', () => {
    expect(planPaste([['a'], ['b']], at(0, 0), 0, 2).newRows).toBe(2)
  })

  it('fills a bigger target with one cell', () => {
    const plan = planPaste([['x']], { top: 0, bottom: 1, left: 0, right: 1 }, 10, 5)
    expect(plan.cells).toEqual([{ row: 0, col: 0, text: 'x' }, { row: 0, col: 1, text: 'x' }, { row: 1, col: 0, text: 'x' }, { row: 1, col: 1, text: 'x' }])
  })

  it('repeats a block over a target it fits a whole number of times, else pastes it once', () => {
    const twice = planPaste([['a', 'b']], { top: 0, bottom: 1, left: 0, right: 3 }, 10, 5)
    expect(twice.cells.map((c) => c.text).join('')).toBe('abababab')
    const once = planPaste([['a', 'b']], { top: 0, bottom: 2, left: 0, right: 2 }, 10, 5)
    expect(once.cells.map((c) => c.text).join('')).toBe('ab')
  })

  it('leaves the cells past a short ragged row as they are', () => {
    const plan = planPaste([['a', 'b', 'c'], ['d']], at(0, 0), 10, 5)
    expect(plan.cells.map((c) => `${c.row}:${c.col}`)).toEqual(['0:0', '0:1', '0:2', '1:0'])
  })

  it('plans nothing for an empty block', () => {
    expect(planPaste([], at(0, 0), 10, 5)).toEqual({ cells: [], newRows: 0, droppedColumns: 0 })
  })
})
