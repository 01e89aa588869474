import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import { editTextFor } from '../../domain/formatFieldValue'
import type { FieldDef, Row } from '../../domain/schema'
import { linkEditText } from './displayValue'
import { cellKey, type GridContext } from './gridContext'

export interface FieldEditorParams extends ICellEditorParams<Row> {
  field: FieldDef
  gridContext: GridContext
}

let datalistSeq = 0

/**
 * One text editor for every typed field: it starts with the stored value as editable text (or
 * the refused input, or the key that started editing) and returns the raw text; parsing and
 * refusal happen in the grid adapter so every edit path shares one rule.
 */
export class FieldCellEditor implements ICellEditorComp<Row> {
  private input!: HTMLInputElement | HTMLTextAreaElement
  private wrapper = document.createElement('div')
  private startedWithKey = false

  init(params: FieldEditorParams): void {
    const { field, gridContext } = params
    const multiline = field.type === 'longText'
    this.input = document.createElement(multiline ? 'textarea' : 'input')
    this.input.className = multiline ? 'kanso-editor kanso-editor-multiline' : 'kanso-editor'
    this.input.setAttribute('aria-label', field.label)
    this.input.spellcheck = false
    const rowId = params.data?.id ?? ''
    const refused = gridContext.refused.get(cellKey(rowId, field.id))
    const stored = params.data?.values[field.id]
    let text = refused?.text ?? (field.type === 'link' ? linkEditText(field, stored, gridContext) : editTextFor(field, stored, gridContext.parseContext))
    if (params.eventKey === 'Backspace' || params.eventKey === 'Delete') text = ''
    else if (params.eventKey && params.eventKey.length === 1) {
      text = params.eventKey
      this.startedWithKey = true
    }
    this.input.value = text
    this.wrapper.className = 'kanso-editor-wrap'
    this.wrapper.append(this.input)
    const suggestions = this.suggestionsFor(field, gridContext)
    if (suggestions.length && this.input instanceof HTMLInputElement) {
      const list = document.createElement('datalist')
      list.id = `kanso-dl-${++datalistSeq}`
      for (const s of suggestions.slice(0, 500)) {
        const o = document.createElement('option')
        o.value = s
        list.append(o)
      }
      this.input.setAttribute('list', list.id)
      this.wrapper.append(list)
    }
    if (multiline) {
      this.input.addEventListener('keydown', (e) => {
        // Enter saves like in every other cell; Shift+Enter adds a line.
        if ((e as KeyboardEvent).key === 'Enter' && (e as KeyboardEvent).shiftKey) e.stopPropagation()
      })
    }
  }

  private suggestionsFor(field: FieldDef, ctx: GridContext): string[] {
    if (field.type === 'link' && field.linkEntity) return [...(ctx.linkNames.get(field.linkEntity)?.values() ?? [])]
    if (field.type === 'member') return (ctx.parseContext.members ?? []).map((m) => m.name)
    if (field.type === 'multiSelect') return field.options ?? []
    return []
  }

  getGui(): HTMLElement {
    return this.wrapper
  }

  afterGuiAttached(): void {
    this.input.focus()
    if (this.startedWithKey) {
      const end = this.input.value.length
      this.input.setSelectionRange(end, end)
    } else {
      this.input.select()
    }
  }

  getValue(): string {
    return this.input.value
  }

  isPopup(): boolean {
    return this.input instanceof HTMLTextAreaElement
  }
}
