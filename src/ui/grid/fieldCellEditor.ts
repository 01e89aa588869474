import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import { editTextFor } from '../../domain/formatFieldValue'
import { inputReading } from '../../domain/inputReading'
import type { FieldDef, Row } from '../../domain/schema'
import { linkEditText } from './displayValue'
import { cellKey, type GridContext } from './gridContext'
import { CalendarPicker } from './calendarPicker'
import { LinkPicker } from './linkPicker'
import { OptionPicker } from './optionPicker'

export interface FieldEditorParams extends ICellEditorParams<Row> {
  field: FieldDef
  gridContext: GridContext
}

let datalistSeq = 0
let readingSeq = 0

/**
 * One text editor for every typed field: it starts with the stored value as editable text (or
 * the refused input, or the key that started editing) and returns the raw text; parsing and
 * refusal happen in the grid adapter so every edit path shares one rule.
 */
export class FieldCellEditor implements ICellEditorComp<Row> {
  private input!: HTMLInputElement | HTMLTextAreaElement
  private wrapper = document.createElement('div')
  private startedWithKey = false
  /** How the text reads as typed (dates, date-times, phones), shown under the cell. */
  private reading: HTMLElement | null = null
  private showReading = () => {}
  private placeReading = () => {}
  /** Link cells pick from a list of records with detail (see LinkPicker). */
  private picker: LinkPicker | null = null
  /** Selects and multi-selects pick from their options; dates and date-times have a calendar. */
  private optionPicker: OptionPicker | null = null
  private calendar: CalendarPicker | null = null

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
    if (field.type === 'link' && field.linkEntity && gridContext.linkChoices && this.input instanceof HTMLInputElement) {
      const target = field.linkEntity
      const choices = gridContext.linkChoices
      this.picker = new LinkPicker(this.input, () => choices(target), !!field.multiple, () => params.stopEditing())
    }
    if ((field.type === 'select' || field.type === 'multiSelect') && this.input instanceof HTMLInputElement) {
      const multiple = field.type === 'multiSelect'
      // a multi-select's chosen options are chips; its input is the filter (or what was typed)
      const chosen = multiple && !refused && params.eventKey !== 'Backspace' && params.eventKey !== 'Delete' && Array.isArray(stored) ? [...stored] : []
      if (multiple && !refused) this.input.value = this.startedWithKey ? text : ''
      this.optionPicker = new OptionPicker(this.input, field, chosen, () => params.stopEditing())
    }
    const suggestions = this.picker || this.optionPicker ? [] : this.suggestionsFor(field, gridContext)
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
    this.prepareReading(field, gridContext)
    if ((field.type === 'date' || field.type === 'dateTime') && this.input instanceof HTMLInputElement) {
      this.calendar = new CalendarPicker(this.input, field.type, gridContext.parseContext, () => this.reading, () => params.stopEditing())
    }
    if (multiline) {
      this.input.addEventListener('keydown', (e) => {
        // Enter saves like in every other cell; Shift+Enter adds a line.
        if ((e as KeyboardEvent).key === 'Enter' && (e as KeyboardEvent).shiftKey) e.stopPropagation()
      })
    }
  }

  /**
   * "Thu, Dec 3, 2026, 3:00 PM" under the cell while a date is typed, or why it will be refused,
   * so a misreading (12 March for 3 December) is seen before Enter. It lives in the page's body,
   * fixed under the input: the cell clips anything outside it.
   */
  private prepareReading(field: FieldDef, ctx: GridContext): void {
    if (field.type !== 'date' && field.type !== 'dateTime' && field.type !== 'phone') return
    const reading = document.createElement('div')
    reading.className = 'kanso-editor-reading'
    reading.id = `kanso-reading-${++readingSeq}`
    reading.setAttribute('role', 'status')
    reading.dataset.testid = 'editor-reading'
    this.input.setAttribute('aria-describedby', reading.id)
    this.reading = reading
    this.placeReading = () => {
      const box = this.input.getBoundingClientRect()
      // kept inside the window: a date column at the right edge cut "Reads as Thu, Dec 3, 2…"
      reading.style.left = `${Math.max(4, Math.min(box.left, window.innerWidth - reading.offsetWidth - 4))}px`
      reading.style.top = `${box.bottom + 2}px`
      reading.style.minWidth = `${box.width}px`
    }
    this.showReading = () => {
      const read = inputReading(field, this.input.value, ctx.parseContext)
      reading.hidden = !read
      reading.classList.toggle('kanso-editor-reading-refused', read?.ok === false)
      reading.textContent = !read ? '' : read.ok ? `Reads as ${read.text}` : read.error
      this.placeReading()
    }
    this.input.addEventListener('input', this.showReading)
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
    if (this.picker) {
      document.body.append(this.picker.element)
      document.addEventListener('scroll', this.placePicker, true)
    }
    if (this.reading) {
      document.body.append(this.reading)
      this.showReading()
      document.addEventListener('scroll', this.placeReading, true)
    }
    this.input.focus()
    if (this.startedWithKey) {
      const end = this.input.value.length
      this.input.setSelectionRange(end, end)
    } else {
      this.input.select()
    }
    this.picker?.render()
    for (const popup of [this.optionPicker, this.calendar]) {
      if (!popup) continue
      document.body.append(popup.element)
      popup.render()
    }
    if (this.optionPicker || this.calendar) document.addEventListener('scroll', this.placePopups, true)
  }

  private placePopups = () => {
    this.optionPicker?.place()
    this.calendar?.place()
  }

  private placePicker = () => this.picker?.place()

  getValue(): string {
    return this.picker ? this.picker.value() : this.optionPicker ? this.optionPicker.value() : this.input.value
  }

  isPopup(): boolean {
    return this.input instanceof HTMLTextAreaElement
  }

  destroy(): void {
    this.picker?.element.remove()
    this.optionPicker?.element.remove()
    this.calendar?.element.remove()
    document.removeEventListener('scroll', this.placePopups, true)
    document.removeEventListener('scroll', this.placePicker, true)
    this.reading?.remove()
    document.removeEventListener('scroll', this.placeReading, true)
  }
}
