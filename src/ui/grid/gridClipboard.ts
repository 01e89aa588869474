import type { GridApi } from 'ag-grid-community'
import type { EntityStore } from '../../crdt/entityStore'
import { randomId } from '../../crdt/randomId'
import type { CellChange } from '../../crdt/recordDoc'
import type { RangeBounds } from '../../domain/clipboard/cellRange'
import { decodeHtmlTable, encodeHtmlTable } from '../../domain/clipboard/htmlTable'
import { planFillDown } from '../../domain/clipboard/planFillDown'
import { planPaste } from '../../domain/clipboard/planPaste'
import { decodeTsv, encodeTsv, type CellBlock } from '../../domain/clipboard/tsvBlock'
import { editTextFor } from '../../domain/formatFieldValue'
import { parseFieldInput } from '../../domain/parseFieldInput'
import type { FieldDef, FieldValue, Row } from '../../domain/schema'
import { displayValue } from './displayValue'
import { cellKey, type GridContext } from './gridContext'
import type { RangeSelection } from './rangeSelection'
import './gridClipboard.css'

/** A long paste's progress: cells read of all. */
export interface PasteProgress { done: number; total: number }

export interface GridClipboardOptions {
  container: HTMLElement
  api: GridApi<Row>
  range: RangeSelection
  store: EntityStore
  context: GridContext
  editable: boolean
  fields: () => Map<string, FieldDef>
  /** Record ids in the order shown: a range's row n is `viewIds()[n]`. */
  viewIds: () => string[]
  /** The refusals changed: a summary to show, or null. */
  onRefused: (message: string | null) => void
  refreshCells: (keys: Iterable<string>) => void
  onProgress?: (progress: PasteProgress | null) => void
}

/** A slice of parsing runs this long before the page gets its turn (no long task on a 10k-row paste). */
const SLICE_MS = 8

/**
 * Copy, paste, fill down and clear over the range (AG Grid community has no clipboard): copy
 * writes the range as TSV and an HTML table, each cell as the text its editor starts with (so
 * it reads back here, and numbers and dates read in a spreadsheet); paste reads a block from
 * Excel, Google Sheets, LibreOffice or this grid, parses each cell as a typed edit would, marks
 * the refused ones with their reason and writes the rest — with the rows it adds below — as one
 * undo step. Fill down (Ctrl/Cmd+D) and Delete/Backspace over a range are one undo step each.
 */
export function makeGridClipboard(o: GridClipboardOptions): () => void {
  const editing = () => o.api.getEditingCells().length > 0
  /** The grid has the keyboard (a cell is focused, no editor open). */
  const active = () => o.container.contains(document.activeElement) && !editing() && !(document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement)
  const fieldAt = (col: number) => {
    const id = o.range.columns()[col]
    return id === undefined ? undefined : o.fields().get(id)
  }

  const copyText = (field: FieldDef, value: FieldValue | undefined) =>
    field.type === 'link' ? displayValue(field, value, o.context) : editTextFor(field, value, o.context.parseContext)
  const blockOf = (b: RangeBounds): CellBlock => {
    const ids = o.viewIds()
    const block: CellBlock = []
    for (let r = b.top; r <= Math.min(b.bottom, ids.length - 1); r++) {
      const row = o.store.row(ids[r]!)
      const cells: string[] = []
      for (let c = b.left; c <= b.right; c++) {
        const field = fieldAt(c)
        if (field) cells.push(copyText(field, row?.values[field.id]))
      }
      block.push(cells)
    }
    return block
  }

  const onCopy = (e: ClipboardEvent) => {
    const b = o.range.bounds()
    if (!active() || !b || !e.clipboardData) return
    const block = blockOf(b)
    e.clipboardData.setData('text/plain', encodeTsv(block))
    e.clipboardData.setData('text/html', encodeHtmlTable(block))
    e.preventDefault()
  }

  /** Refusals set (with their text) or cleared (null) by a paste, fill or clear; tells the view once. */
  const markRefusals = (marks: Map<string, { text: string; message: string } | null>, summary: string | null) => {
    const changed: string[] = []
    for (const [key, mark] of marks) {
      if (mark) { o.context.refused.set(key, mark); changed.push(key) } else if (o.context.refused.delete(key)) changed.push(key)
    }
    if (changed.length || summary) o.onRefused(summary)
    if (changed.length) o.refreshCells(changed)
  }

  let pasting = false
  const onPaste = (e: ClipboardEvent) => {
    const b = o.range.bounds()
    if (!active() || !b || !e.clipboardData) return
    e.preventDefault()
    if (!o.editable || pasting) return
    const text = e.clipboardData.getData('text/plain')
    const html = e.clipboardData.getData('text/html')
    const block = text ? decodeTsv(text) : html ? decodeHtmlTable(html) : null
    if (!block?.length) return
    pasting = true
    void paste(block, b).finally(() => {
      pasting = false
      o.onProgress?.(null)
    })
  }

  const paste = async (block: CellBlock, target: RangeBounds) => {
    const ids = o.viewIds()
    const plan = planPaste(block, target, ids.length, o.range.columns().length)
    const newIds = Array.from({ length: plan.newRows }, () => randomId())
    const creates = newIds.map((id) => ({ id, values: {} as Record<string, FieldValue> }))
    const updates: CellChange[] = []
    const marks = new Map<string, { text: string; message: string } | null>()
    // names of linked records pasted before their list was loaded are read once it is (not refused)
    const linked = new Set(plan.cells.flatMap((c) => { const f = fieldAt(c.col); return f?.type === 'link' && f.linkEntity && c.text.trim() ? [f.linkEntity] : [] }))
    await Promise.all([...linked].map((target) => o.context.whenLinkNames?.(target)))
    let refused = 0
    let firstRefusal = ''
    let sliceStart = performance.now()
    for (let k = 0; k < plan.cells.length; k++) {
      if (performance.now() - sliceStart > SLICE_MS) {
        o.onProgress?.({ done: k, total: plan.cells.length })
        await new Promise((resolve) => setTimeout(resolve, 0))
        sliceStart = performance.now()
      }
      const cell = plan.cells[k]!
      const field = fieldAt(cell.col)
      if (!field) continue
      const isNew = cell.row >= ids.length
      const recordId = isNew ? newIds[cell.row - ids.length]! : ids[cell.row]!
      const key = cellKey(recordId, field.id)
      const result = parseFieldInput(field, cell.text, o.context.parseContext)
      if (!result.ok) {
        marks.set(key, { text: cell.text, message: result.error })
        if (!refused++) firstRefusal = result.error
        continue
      }
      marks.set(key, null)
      if (isNew) creates[cell.row - ids.length]!.values[field.id] = result.value
      else updates.push({ recordId, fieldId: field.id, value: result.value })
    }
    o.onProgress?.({ done: plan.cells.length, total: plan.cells.length })
    // rows may have been deleted meanwhile (a teammate): their cells have nowhere to go
    const live = updates.filter((u) => o.store.row(u.recordId))
    // pasted stages keep their change entries; a paste is not interrupted by prompts, so a lost stage's reason stays to fill in
    const withStages = o.context.withStageChanges?.(live, false) ?? live
    if (withStages.length || creates.length) o.store.writeBatch({ creates, updates: withStages })
    const summary = refused
      ? `${refused === 1 ? '1 pasted cell was' : `${refused.toLocaleString()} pasted cells were`} refused (marked ⚠) — ${firstRefusal}`
      : null
    markRefusals(marks, summary)
  }

  const write = (updates: CellChange[]) => {
    const marks = new Map<string, null>(updates.map((u) => [cellKey(u.recordId, u.fieldId), null]))
    if (updates.length) o.store.writeBatch({ creates: [], updates })
    markRefusals(marks, null)
  }

  const fillDown = (b: RangeBounds) => {
    const plan = planFillDown(b)
    if (!plan) return
    const ids = o.viewIds()
    const source = ids[plan.sourceRow] === undefined ? undefined : o.store.row(ids[plan.sourceRow]!)
    if (!source) return
    const updates: CellChange[] = []
    for (let c = plan.left; c <= plan.right; c++) {
      const field = fieldAt(c)
      if (!field) continue
      const value = source.values[field.id] ?? null
      for (let r = plan.firstRow; r <= Math.min(plan.lastRow, ids.length - 1); r++) {
        const row = o.store.row(ids[r]!)
        if (row && JSON.stringify(row.values[field.id] ?? null) !== JSON.stringify(value)) updates.push({ recordId: row.id, fieldId: field.id, value })
      }
    }
    write(updates)
  }

  const clear = (b: RangeBounds) => {
    const ids = o.viewIds()
    const updates: CellChange[] = []
    for (let r = b.top; r <= Math.min(b.bottom, ids.length - 1); r++) {
      const row = o.store.row(ids[r]!)
      for (let c = b.left; c <= b.right; c++) {
        const field = fieldAt(c)
        if (row && field && (row.values[field.id] != null || o.context.refused.has(cellKey(row.id, field.id)))) updates.push({ recordId: row.id, fieldId: field.id, value: null })
      }
    }
    write(updates)
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (!o.editable || editing()) return
    const b = o.range.bounds()
    if (!b) return
    const single = b.top === b.bottom && b.left === b.right
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'd') {
      // Ctrl+D is also the browser's "bookmark this page"
      e.preventDefault()
      e.stopPropagation()
      fillDown(b)
    } else if (!e.ctrlKey && !e.metaKey && !e.altKey && (e.key === 'Delete' || (e.key === 'Backspace' && !single))) {
      // Backspace on one cell keeps opening its editor empty, as in a spreadsheet
      e.preventDefault()
      e.stopPropagation()
      clear(b)
    }
  }

  document.addEventListener('copy', onCopy)
  document.addEventListener('paste', onPaste)
  o.container.addEventListener('keydown', onKeyDown, true)
  return () => {
    document.removeEventListener('copy', onCopy)
    document.removeEventListener('paste', onPaste)
    o.container.removeEventListener('keydown', onKeyDown, true)
  }
}
