import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community'
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
    this.el.replaceChildren()
    if (!rowId) return
    const key = cellKey(rowId, field.id)
    const refused = gridContext.refused.get(key)
    const valueEl = document.createElement('span')
    valueEl.className = 'kanso-cell-value'
    this.el.append(valueEl)
    if (refused) {
      valueEl.classList.add('kanso-cell-refused')
      valueEl.textContent = `⚠ ${refused.text}`
      this.el.title = refused.message
    } else {
      this.el.removeAttribute('title')
      const value = params.data?.values[field.id] ?? null
      if (field.type === 'checkbox') {
        valueEl.textContent = value === true ? '✓' : ''
        valueEl.classList.add('kanso-cell-check')
      } else if ((field.type === 'phone' || field.type === 'email' || field.type === 'url') && typeof value === 'string') {
        const a = document.createElement('a')
        a.href = field.type === 'phone' ? `tel:${value}` : field.type === 'email' ? `mailto:${value}` : value
        if (field.type === 'url') { a.target = '_blank'; a.rel = 'noopener' }
        a.tabIndex = -1
        a.textContent = displayValue(field, value, gridContext)
        valueEl.append(a)
      } else {
        valueEl.textContent = displayValue(field, value, gridContext)
      }
    }
    const peers = gridContext.presence.get(key)
    if (peers?.length) {
      const badge = document.createElement('span')
      badge.className = 'kanso-presence-badge'
      badge.style.background = peers[0]!.user.color
      badge.textContent = peers.map((p) => p.user.name).join(', ')
      this.el.append(badge)
    }
  }
}
