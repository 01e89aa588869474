import { editTextFor } from '../../domain/formatFieldValue'
import { inputReading } from '../../domain/inputReading'
import type { FieldDef, FieldValue } from '../../domain/schema'
import { linkEditText } from './displayValue'
import { cellKey, type GridContext } from './gridContext'
import { CalendarPicker } from './calendarPicker'
import { LinkPicker } from './linkPicker'
import { OptionPicker } from './optionPicker'

export interface FieldInputOptions {
  field: FieldDef
  context: GridContext
  rowId: string
  stored: FieldValue | undefined
  /** The key that started the editing: a character replaces the text, Backspace/Delete clear it. */
  eventKey?: string | null
  /** A pick in a picker (a click, or Escape in a multi-select) that ends the editing. */
  done: () => void
}

let datalistSeq = 0
let readingSeq = 0

/**
 * The input every typed field is edited with, in a grid cell (FieldCellEditor) and in the record
 * panel alike: it starts with the stored value as editable text (or the refused input, or the
 * key that started editing), brings its field's picker (options, calendar, records) and the
 * "Reads as …" line, and gives back the raw text; parsing and refusal happen in
 * commitCellInputs, so every edit path shares one rule. Popups live in the page's body, placed
 * under the input (a grid cell clips anything outside it).
 */
export class FieldInput {
  readonly element = document.createElement('div')
  readonly input: HTMLInputElement | HTMLTextAreaElement
  private startedWithKey = false
  /** How the text reads as typed (dates, date-times, phones), shown under the input. */
  private reading: HTMLElement | null = null
  private showReading = () => {}
  private placeReading = () => {}
  /** Link fields pick from a list of records with detail (see LinkPicker). */
  private picker: LinkPicker | null = null
  /** Selects and multi-selects pick from their options; dates and date-times have a calendar. */
  private optionPicker: OptionPicker | null = null
  private calendar: CalendarPicker | null = null

  constructor(o: FieldInputOptions) {
    const { field, context } = o
    const multiline = field.type === 'longText'
    this.input = document.createElement(multiline ? 'textarea' : 'input')
    this.input.className = multiline ? 'kanso-editor kanso-editor-multiline' : 'kanso-editor'
    this.input.setAttribute('aria-label', field.label)
    this.input.spellcheck = false
    const refused = context.refused.get(cellKey(o.rowId, field.id))
    let text = refused?.text ?? (field.type === 'link' ? linkEditText(field, o.stored, context) : editTextFor(field, o.stored, context.parseContext))
    if (o.eventKey === 'Backspace' || o.eventKey === 'Delete') text = ''
    else if (o.eventKey && o.eventKey.length === 1) {
      text = o.eventKey
      this.startedWithKey = true
    }
    this.input.value = text
    this.element.className = 'kanso-editor-wrap'
    this.element.append(this.input)
    if (field.type === 'link' && field.linkEntity && context.linkChoices && this.input instanceof HTMLInputElement) {
      const target = field.linkEntity
      const choices = context.linkChoices
      // a link cell edited before the linked list was loaded asks for it now: the picker lists its records as the member types
      void context.whenLinkNames?.(target)
      this.picker = new LinkPicker(this.input, () => choices(target), !!field.multiple, o.done)
    }
    if ((field.type === 'select' || field.type === 'multiSelect') && this.input instanceof HTMLInputElement) {
      const multiple = field.type === 'multiSelect'
      // a multi-select's chosen options are chips; its input is the filter (or what was typed)
      const cleared = o.eventKey === 'Backspace' || o.eventKey === 'Delete'
      const chosen = multiple && !refused && !cleared && Array.isArray(o.stored) ? [...o.stored] : []
      if (multiple && !refused) this.input.value = this.startedWithKey ? text : ''
      this.optionPicker = new OptionPicker(this.input, field, chosen, o.done)
    }
    const suggestions = this.picker || this.optionPicker ? [] : suggestionsFor(field, context)
    if (suggestions.length && this.input instanceof HTMLInputElement) {
      const list = document.createElement('datalist')
      list.id = `kanso-dl-${++datalistSeq}`
      for (const s of suggestions.slice(0, 500)) {
        const option = document.createElement('option')
        option.value = s
        list.append(option)
      }
      this.input.setAttribute('list', list.id)
      this.element.append(list)
    }
    this.prepareReading(field, context)
    if ((field.type === 'date' || field.type === 'dateTime') && this.input instanceof HTMLInputElement) {
      this.calendar = new CalendarPicker(this.input, field.type, context.parseContext, () => this.reading, o.done)
    }
    if (multiline) {
      this.input.addEventListener('keydown', (e) => {
        // Enter saves like in every other field; Shift+Enter adds a line.
        if ((e as KeyboardEvent).key === 'Enter' && (e as KeyboardEvent).shiftKey) e.stopPropagation()
      })
    }
  }

  /**
   * "Thu, Dec 3, 2026, 3:00 PM" under the input while a date is typed, or why it will be refused,
   * so a misreading (12 March for 3 December) is seen before Enter.
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

  /** Once the element is in the page: focus, the text selected (or the caret after a typed key), popups open. */
  attach(): void {
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

  /** Characters typed before this editor opened (after "+ New", see makeNewRowTypeAhead): they replace the text, the caret after them. */
  typeAhead(text: string): void {
    this.input.value = text
    this.startedWithKey = true
    if (document.activeElement === this.input) this.input.setSelectionRange(text.length, text.length)
    // as if typed: the pickers and "Reads as …" follow the text
    this.input.dispatchEvent(new Event('input'))
  }

  /** Whether a node belongs to this input or one of its popups (a click there keeps the editing on). */
  owns(node: Node | null): boolean {
    if (!node) return false
    return [this.element, this.picker?.element, this.optionPicker?.element, this.calendar?.element, this.reading].some((el) => el?.contains(node))
  }

  private placePopups = () => {
    this.optionPicker?.place()
    this.calendar?.place()
  }

  private placePicker = () => this.picker?.place()

  /** The raw entry: the text as typed or picked (a picked record as its id; a multi-select's chips joined). */
  value(): string {
    return this.picker ? this.picker.value() : this.optionPicker ? this.optionPicker.value() : this.input.value
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

/** Names to pick from while typing a link, a member or several options (where no picker lists them). */
export function suggestionsFor(field: FieldDef, ctx: GridContext): string[] {
  if (field.type === 'link' && field.linkEntity) return [...(ctx.linkNames.get(field.linkEntity)?.values() ?? [])]
  if (field.type === 'member') return (ctx.parseContext.members ?? []).map((m) => m.name)
  if (field.type === 'multiSelect') return field.options ?? []
  return []
}
