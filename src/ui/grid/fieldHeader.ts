import type { IHeaderComp, IHeaderParams } from 'ag-grid-community'
import type { FieldDef, Row } from '../../domain/schema'

export interface FieldHeaderParams extends IHeaderParams<Row> {
  field: FieldDef
  /** Opens the field menu (rename, hide, remove, add) next to the button. */
  openFieldMenu: (field: FieldDef, anchor: HTMLElement) => void
}

const TYPE_GLYPH: Record<string, string> = {
  text: 'T', longText: '¶', number: '#', money: '¤', date: 'D', dateTime: 'DT', select: '▾', multiSelect: '≡',
  checkbox: '☑', email: '@', phone: '☎', url: '⌘', link: '↗', member: '◉',
}

/** Column header: label (click to sort), sort arrow, and the field menu button. */
export class FieldHeader implements IHeaderComp {
  private el = document.createElement('div')
  private sortEl = document.createElement('span')
  private params!: FieldHeaderParams
  private onSortChanged = () => this.renderSort()

  init(params: FieldHeaderParams): void {
    this.params = params
    this.el.className = 'kanso-header'
    const glyph = document.createElement('span')
    glyph.className = 'kanso-header-type'
    glyph.textContent = TYPE_GLYPH[params.field.type] ?? ''
    glyph.title = params.field.type
    const label = document.createElement('span')
    label.className = 'kanso-header-label'
    label.textContent = params.displayName
    label.title = `${params.field.label} (${params.field.key})`
    label.addEventListener('click', (e) => params.progressSort(e.shiftKey))
    this.sortEl.className = 'kanso-header-sort'
    const menu = document.createElement('button')
    menu.type = 'button'
    menu.className = 'kanso-header-menu'
    menu.textContent = '⋮'
    menu.title = `Field menu: ${params.field.label}`
    menu.setAttribute('aria-label', `Field menu for ${params.field.label}`)
    menu.addEventListener('click', (e) => {
      e.stopPropagation()
      params.openFieldMenu(params.field, menu)
    })
    this.el.append(glyph, label, this.sortEl, menu)
    params.column.addEventListener('sortChanged', this.onSortChanged)
    this.renderSort()
  }

  private renderSort(): void {
    const sort = this.params.column.getSort()
    this.sortEl.textContent = sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''
  }

  getGui(): HTMLElement {
    return this.el
  }

  refresh(params: FieldHeaderParams): boolean {
    this.params = params
    return false
  }

  destroy(): void {
    this.params.column.removeEventListener('sortChanged', this.onSortChanged)
  }
}
