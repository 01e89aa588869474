import type { RangeBounds } from './cellRange'
import type { CellBlock } from './tsvBlock'

/** One pasted cell: where it goes (rows at or past the list's end are new rows) and its text. */
export interface PasteCell { row: number; col: number; text: string }

export interface PastePlan {
  cells: PasteCell[]
  /** Rows to add at the bottom: the block reaches past the list's last row. */
  newRows: number
  /** Columns of the block right of the last shown column, which have nowhere to go. */
  droppedColumns: number
}

/**
 * Where a copied block goes when pasted onto `target` of a list of `rows` × `cols`, as a
 * spreadsheet does it: one cell fills the whole target; a block that fits a bigger target a
 * whole number of times in both directions is repeated over it; any other block starts at the
 * target's top-left cell, adding rows below the list and dropping columns right of it. A short
 * row of ragged text leaves the cells past its end as they are.
 */
export function planPaste(block: CellBlock, target: RangeBounds, rows: number, cols: number): PastePlan {
  const blockRows = block.length
  const blockCols = Math.max(0, ...block.map((r) => r.length))
  if (!blockRows || !blockCols) return { cells: [], newRows: 0, droppedColumns: 0 }
  const targetRows = target.bottom - target.top + 1
  const targetCols = target.right - target.left + 1
  const repeats = targetRows % blockRows === 0 && targetCols % blockCols === 0 && targetRows * targetCols > blockRows * blockCols
  const cells: PasteCell[] = []
  if (repeats) {
    for (let r = 0; r < targetRows; r++) {
      const src = block[r % blockRows]!
      for (let c = 0; c < targetCols; c++) {
        const text = src[c % blockCols]
        if (text !== undefined) cells.push({ row: target.top + r, col: target.left + c, text })
      }
    }
    return { cells, newRows: 0, droppedColumns: 0 }
  }
  const room = Math.max(0, cols - target.left)
  block.forEach((src, r) => {
    for (let c = 0; c < Math.min(src.length, room); c++) cells.push({ row: target.top + r, col: target.left + c, text: src[c]! })
  })
  return { cells, newRows: Math.max(0, target.top + blockRows - rows), droppedColumns: Math.max(0, blockCols - room) }
}
