import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community'
import { cellLinkHref, cellLinkLabel, type CellLink, type PhoneScheme } from '../../domain/cellLinkHref'
import type { FieldDef, Row } from '../../domain/schema'
import { displayValue } from './displayValue'
import { cellKey, type GridContext } from './gridContext'
import './linkCells.css'
import { checkBox } from './checkboxCell'
import { conflictMarkElement, conflictOf } from './conflictMark'
import { optionChip } from './optionPicker'
import type { RecordLinks } from '../panel/recordLinks'

export interface FieldCellParams extends ICellRendererParams<Row> {
  field: FieldDef
  gridContext: GridContext
  /** Set where the member may edit: a click on a checkbox's box flips it. */
  toggleCheckbox?: (rowId: string, field: FieldDef) => void
  /**
   * The member's phone scheme now. A function because AG Grid deep-copies plain objects in
   * column definitions: `gridContext` here is a copy, and a scheme set after the columns were
   * made (it arrives from the relay) would never reach it.
   */
  phoneScheme?: () => PhoneScheme | undefined
  /** The context itself, not the copy: its member list is the one read since (a conflict mark names who). */
  liveContext?: () => GridContext
  /** On the name cell: its Open button opens the row's record panel. */
  openRecord?: (rowId: string) => void
}

/**
 * Draws a cell: the formatted value, or the refused input and its reason, plus the names of
 * teammates whose cursor is on it. An email, phone or URL is a link that a plain click does not
 * follow (the click selects the cell, so typing then edits it, as in a spreadsheet): it opens
 * with Ctrl/Cmd+click, the ↗ ✉ ☎ button at the cell's right, or Ctrl/Cmd+Enter (openCellLink).
 */
export class FieldCellRenderer implements ICellRendererComp<Row> {
  private el = document.createElement('span')
  /** What the cell shows now; a refresh that would draw the same is skipped (a changed row refreshes every cell). */
  private drawn = ''

  init(params: FieldCellParams): void {
    this.el.className = 'kanso-cell'
    this.render(params)
  }

  getGui(): HTMLElement {
    return this.el
  }

  refresh(params: FieldCellParams): boolean {
    this.render(params)
    return true
  }

  private render(params: FieldCellParams): void {
    const { field, gridContext } = params
    const rowId = params.data?.id
    const key = rowId ? cellKey(rowId, field.id) : ''
    const refused = rowId ? gridContext.refused.get(key) : undefined
    const peers = rowId ? gridContext.presence.get(key) : undefined
    const value = params.data?.values[field.id] ?? null
    // the column's valueFormatter has formatted it already (formatting a phone number or a
    // date again for every cell of every painted row cost the first paint twice)
    const text = field.type === 'checkbox' ? (value === true ? '✓' : '')
      : typeof params.valueFormatted === 'string' ? params.valueFormatted : displayValue(field, value, gridContext)
    const link = typeof value === 'string' ? cellLinkHref(field, value, params.phoneScheme?.() ?? gridContext.phoneScheme) : null
    const colors = field.type === 'select' || field.type === 'multiSelect' ? field.optionColors ?? null : null
    const live = params.liveContext?.() ?? gridContext
    const conflict = params.data ? conflictOf(params.data, field, live) : null
    const drawn = JSON.stringify([rowId ?? null, text, link, refused ?? null, peers?.map((p) => [p.user.name, p.user.color]) ?? null, colors, field.type === 'link' ? value : null, conflict?.title ?? null])
    if (drawn === this.drawn) return
    this.drawn = drawn
    this.el.replaceChildren()
    this.el.classList.remove('kanso-cell-with-link')
    if (!rowId) return
    const valueEl = document.createElement('span')
    valueEl.className = 'kanso-cell-value'
    this.el.append(valueEl)
    if (refused) {
      valueEl.classList.add('kanso-cell-refused')
      valueEl.textContent = `⚠ ${refused.text}`
      this.el.title = refused.message
    } else {
      this.el.removeAttribute('title')
      if (field.type === 'checkbox') {
        valueEl.append(checkBox(value === true, field, rowId, params.toggleCheckbox))
        valueEl.classList.add('kanso-cell-check')
      } else if ((field.type === 'select' && typeof value === 'string') || (field.type === 'multiSelect' && Array.isArray(value))) {
        // options as chips in their colours (a fixed palette's classes; the text stays the stored name)
        const options = Array.isArray(value) ? value : [value]
        valueEl.classList.add('kanso-cell-chips')
        valueEl.append(...options.map((o) => optionChip(field, o)))
      } else if (field.type === 'link' && field.linkEntity && gridContext.records && value != null && text) {
        // each linked record's name links to its panel; the open button opens the first
        const records = gridContext.records
        const target = field.linkEntity
        const ids = (Array.isArray(value) ? value : [value]).map(String)
        const names = text.split(', ')
        ids.forEach((id, i) => {
          if (i) valueEl.append(', ')
          valueEl.append(recordAnchor(records, target, id, ids.length === names.length ? names[i]! : text))
        })
        const open = recordAnchor(records, target, ids[0]!, '↗')
        open.className = 'kanso-cell-open'
        open.setAttribute('aria-label', `Open ${ids.length === names.length ? names[0] : text}`)
        open.title = open.getAttribute('aria-label')!
        this.el.classList.add('kanso-cell-with-link')
        this.el.append(open)
      } else if (link !== null) {
        valueEl.append(linkAnchor(link, text))
        const open = linkAnchor(link, LINK_ICON[link.kind])
        open.className = 'kanso-cell-open'
        open.setAttribute('aria-label', cellLinkLabel(link, text))
        open.title = open.getAttribute('aria-label')!
        this.el.classList.add('kanso-cell-with-link')
        this.el.append(open)
      } else {
        valueEl.textContent = text
      }
    }
    // a value set while apart lost to this one: the mark stays until someone picks or dismisses
    if (conflict) valueEl.after(conflictMarkElement(rowId, field, conflict, live))
    if (params.openRecord && !refused) {
      const openRecord = params.openRecord
      const open = document.createElement('button')
      open.type = 'button'
      open.className = 'kanso-cell-open-record'
      open.tabIndex = -1
      open.textContent = 'Open'
      open.title = 'Open this record beside the list (Space)'
      open.addEventListener('click', (e) => { e.stopPropagation(); openRecord(rowId) })
      open.addEventListener('dblclick', (e) => e.stopPropagation())
      this.el.classList.add('kanso-cell-with-open')
      this.el.append(open)
    } else this.el.classList.remove('kanso-cell-with-open')
    if (peers?.length) {
      const badge = document.createElement('span')
      badge.className = 'kanso-presence-badge'
      badge.style.background = peers[0]!.user.color
      badge.textContent = peers.map((p) => p.user.name).join(', ')
      this.el.append(badge)
    }
  }
}

const LINK_ICON: Record<CellLink['kind'], string> = { web: '↗', email: '✉', phone: '☎' }

/**
 * A link of a cell. A plain click on the value only selects the cell (the grid's focus follows
 * the mouse down); Ctrl/Cmd+click, a middle click and the open button keep the browser's own
 * link behaviour. Not draggable: a drag across cells selects a range.
 */
function linkAnchor(link: CellLink, text: string): HTMLAnchorElement {
  const a = document.createElement('a')
  a.href = link.href
  if (link.kind === 'web') { a.target = '_blank'; a.rel = 'noopener' }
  a.tabIndex = -1
  a.draggable = false
  a.textContent = text
  // the cell, not the link, keeps the keyboard focus (AG Grid ignores keys aimed at a cell's children)
  a.addEventListener('mousedown', (e) => { if (e.button === 0) e.preventDefault() })
  a.addEventListener('click', (e) => {
    if (!a.classList.contains('kanso-cell-open') && !e.ctrlKey && !e.metaKey) e.preventDefault()
  })
  return a
}

/**
 * A link cell's record: a real link (Ctrl/Cmd+click opens it in a new tab), which a plain click on
 * the name leaves alone (it selects the cell); the ↗ button opens the record's panel here.
 */
function recordAnchor(records: RecordLinks, entityId: string, id: string, text: string): HTMLAnchorElement {
  const a = linkAnchor({ href: records.href(entityId, id), kind: 'web' }, text)
  a.removeAttribute('target')
  a.removeAttribute('rel')
  a.addEventListener('click', (e) => {
    if (!a.classList.contains('kanso-cell-open') || e.ctrlKey || e.metaKey || e.shiftKey) return
    e.preventDefault()
    records.open(entityId, id)
  })
  return a
}

/** Ctrl/Cmd+Enter on a focused link cell: opens its link as the open button would. */
export function openCellLink(cellEl: Element): boolean {
  const open = cellEl.querySelector<HTMLAnchorElement>('a.kanso-cell-open')
  open?.click()
  return !!open
}
