import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community'
import { safeLinkHref } from '../../domain/safeLinkHref'
import type { FieldDef, Row } from '../../domain/schema'
import { displayValue } from './displayValue'
import { cellKey, type GridContext } from './gridContext'

export interface FieldCellParams extends ICellRendererParams<Row> {
  field: FieldDef
  gridContext: GridContext
}

/**
 * Draws a cell: the formatted value, or the refused input and its reason, plus the names of
 * teammates whose cursor is on it.
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
    const link = typeof value === 'string' ? linkHref(field, value) : null
    const drawn = JSON.stringify([rowId ?? null, text, link, refused ?? null, peers?.map((p) => [p.user.name, p.user.color]) ?? null])
    if (drawn === this.drawn) return
    this.drawn = drawn
    this.el.replaceChildren()
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
        valueEl.textContent = text
        valueEl.classList.add('kanso-cell-check')
      } else if (link !== null) {
        const a = document.createElement('a')
        a.href = link
        if (field.type === 'url') { a.target = '_blank'; a.rel = 'noopener' }
        a.tabIndex = -1
        a.textContent = text
        valueEl.append(a)
      } else {
        valueEl.textContent = text
      }
    }
    if (peers?.length) {
      const badge = document.createElement('span')
      badge.className = 'kanso-presence-badge'
      badge.style.background = peers[0]!.user.color
      badge.textContent = peers.map((p) => p.user.name).join(', ')
      this.el.append(badge)
    }
  }
}

/** Where a phone, email or URL cell links to; null (shown as text) for any other field or an unsafe stored value. */
function linkHref(field: FieldDef, value: string): string | null {
  switch (field.type) {
    case 'phone': return safeLinkHref(`tel:${value}`)
    case 'email': return safeLinkHref(`mailto:${value}`)
    case 'url': return safeLinkHref(value)
    default: return null
  }
}
