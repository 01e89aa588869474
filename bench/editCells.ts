import type { Page } from 'playwright-core'

/** Where a cell is on screen and what it shows. */
export interface CellTarget {
  rowId: string
  colId: string
  x: number
  y: number
  text: string
}

/**
 * Page code (a string: tsx helpers do not exist in the page) evaluating to the cell of the
 * column headed `header` in the displayed row `rowIndex`, as a CellTarget; null when the column
 * or row is not rendered, `{ hidden: true }` when something else is on top of its centre (e.g.
 * the column is scrolled out of view).
 */
export function findCellExpression(header: string, rowIndex: number): string {
  return `(() => {
    const label = [...document.querySelectorAll('.kanso-grid .ag-header-cell[col-id] .kanso-header-label')]
      .find((el) => el.textContent.trim() === ${JSON.stringify(header)})
    const colId = label?.closest('.ag-header-cell')?.getAttribute('col-id')
    if (!colId) return null
    const cell = document.querySelector('.kanso-grid .ag-row[row-index="${rowIndex}"] .ag-cell[col-id="' + CSS.escape(colId) + '"]')
    const rowId = cell?.closest('.ag-row')?.getAttribute('row-id')
    if (!cell || !rowId) return null
    const r = cell.getBoundingClientRect()
    const x = r.x + Math.min(r.width / 2, 40)
    const y = r.y + r.height / 2
    if (document.elementFromPoint(x, y)?.closest('.ag-cell') !== cell) return { hidden: true }
    return { rowId, colId, x, y, text: cell.textContent.trim() }
  })()`
}

/** The cell of the column headed `header` in displayed row `rowIndex`, ready to click; throws when it is not visible. */
export async function findCell(page: Page, header: string, rowIndex: number): Promise<CellTarget> {
  const found = (await page.evaluate(findCellExpression(header, rowIndex))) as CellTarget | { hidden: true } | null
  if (!found || 'hidden' in found) throw new Error(`the "${header}" cell of row ${rowIndex + 1} is ${found ? 'not visible' : 'not rendered'}`)
  return found
}

/** The text the cell shows now; null when it is not rendered. */
export async function cellText(page: Page, rowId: string, colId: string): Promise<string | null> {
  return page.evaluate(`(() => {
    const cell = document.querySelector('.kanso-grid .ag-row[row-id="' + CSS.escape(${JSON.stringify(rowId)}) + '"] .ag-cell[col-id="' + CSS.escape(${JSON.stringify(colId)}) + '"]')
    return cell ? cell.textContent.trim() : null
  })()`) as Promise<string | null>
}

/** An edit as a user makes it: click the cell, Enter opens the editor, type, Enter commits. */
export async function typeIntoCell(page: Page, cell: CellTarget, value: string): Promise<void> {
  await page.mouse.click(cell.x, cell.y)
  await page.keyboard.press('Enter')
  await page.keyboard.type(value)
  await page.keyboard.press('Enter')
}

/**
 * B5's in-page timer, installed once the document has loaded. A capture listener on document
 * sees the Enter that commits an open editor (`.kanso-editor`) and takes its `event.timeStamp`;
 * a MutationObserver on the grid waits until that cell shows the typed text (the keystroke's
 * task has made the change: `changedMs`). The frame that shows it is the first frame after that
 * change: a requestAnimationFrame callback registered in the capture listener (before the grid's
 * own handlers run, so it is the frame's first callback this task adds) notes when the frame
 * starts, and a task it posts notes when the frame's rendering on the page's thread (callbacks,
 * style, layout, paint) is over. When the text changes after that frame has started (the
 * keystroke's work took more than one task), a callback registered at the change times the
 * frame after it instead.
 */
export const CELL_EDIT_TIMER = `(() => {
  if (window.__kansoCellEdits) return
  const state = window.__kansoCellEdits = { samples: [] }
  // calls started() and then done(start, end): performance.now() at the next frame's animation
  // callback, and in the first task after that frame
  const timeNextFrame = (started, done) => requestAnimationFrame(() => {
    const start = performance.now()
    started()
    setTimeout(() => done(start, performance.now()), 0)
  })
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey) return
    const input = document.activeElement
    if (!input || !input.classList || !input.classList.contains('kanso-editor')) return
    const cell = input.closest('.ag-cell')
    const row = input.closest('.ag-row')
    const grid = document.querySelector('.kanso-grid')
    if (!cell || !row || !grid) return
    const t0 = event.timeStamp
    const handlerLagMs = performance.now() - t0
    const rowId = row.getAttribute('row-id')
    const colId = cell.getAttribute('col-id')
    const expected = input.value.trim()
    const selector = '.kanso-grid .ag-row[row-id="' + CSS.escape(rowId) + '"] .ag-cell[col-id="' + CSS.escape(colId) + '"]'
    let done = false
    let changedMs = null
    let firstFrameStarted = false
    let firstFrameShowsIt = false
    const record = (start, end) => state.samples.push({ rowId, colId, expected, handlerLagMs, changedMs, frameMs: start - t0, paintedMs: end - t0 })
    // the first frame after the keystroke shows the text if it had changed when that frame started
    timeNextFrame(() => {
      firstFrameStarted = true
      firstFrameShowsIt = changedMs !== null
    }, (start, end) => {
      if (firstFrameShowsIt) record(start, end)
    })
    const check = () => {
      if (done) return
      const el = document.querySelector(selector)
      if (!el || el.querySelector('.kanso-editor') || el.textContent.trim() !== expected) return
      changedMs = performance.now() - t0
      done = true
      observer.disconnect()
      clearTimeout(timer)
      // changed after the first frame had started: the next frame shows it
      if (firstFrameStarted) timeNextFrame(() => {}, record)
    }
    const observer = new MutationObserver(check)
    observer.observe(grid, { childList: true, subtree: true, characterData: true })
    const timer = setTimeout(() => {
      if (done) return
      done = true
      observer.disconnect()
      state.samples.push({ rowId, colId, expected, handlerLagMs, changedMs: null, frameMs: null, paintedMs: null })
    }, 5000)
  }, true)
})()`

export interface CellEditSample {
  rowId: string
  colId: string
  expected: string
  /** keydown timeStamp → the listener ran (input delay). */
  handlerLagMs: number
  /** keydown → the cell's text was the typed value; null if it never was within 5 s. */
  changedMs: number | null
  /** keydown → the start of the frame that shows the text (its animation frame callback). */
  frameMs: number | null
  /** keydown → that frame's rendering is over (the first task after it). */
  paintedMs: number | null
}
