import { describe, expect, it } from 'vitest'
import { ORIGIN_NONE, RecordTable } from './recordTable'

describe('RecordTable', () => {
  it('widens its 16-bit client columns once a document has seen 32k clients', () => {
    const table = new RecordTable(4)
    const first = table.indexOf(111)
    const slot = table.addRecord('r1', first, 0)
    const col = table.col('name')
    table.setCell(slot, col, -(first + 1), 7, ORIGIN_NONE, 0)
    for (let c = 0; c < 40000; c++) table.indexOf(1000 + c)
    const last = table.indexOf(1000 + 39999)
    expect(table.cellClient(slot, col)).toBe(-(first + 1))
    expect(table.cellOriginClient(slot, col)).toBe(ORIGIN_NONE)
    table.setCell(slot, col, last + 1, 9, last, 8)
    expect([table.cellClient(slot, col), table.cellClock(slot, col), table.cellOriginClient(slot, col), table.cellOriginClock(slot, col)]).toEqual([last + 1, 9, last, 8])
    for (let n = 2; n < 50; n++) table.addRecord(`r${n}`, last, n)
    expect(table.cellClient(slot, col)).toBe(last + 1)
  })
})
