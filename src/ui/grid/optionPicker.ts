import { matchKey } from '../../domain/normalizeSpaces'
import { optionColorOf } from '../../domain/optionColors'
import { rankChoices } from '../../domain/rankChoices'
import type { FieldDef } from '../../domain/schema'
import { placeUnder } from './placeUnder'
import './pickers.css'
import { choiceLabelOf } from '../../domain/pipelines/stageChoices'

let pickerSeq = 0

/** A coloured chip for an option (the palette's class, never CSS from the data). */
export function optionChip(field: FieldDef, option: string): HTMLElement {
  const chip = document.createElement('span')
  // a pipeline's or a stage's id shows as its name
  const label = field.choices ? choiceLabelOf(field, option) : option
  chip.className = `kanso-chip kanso-chip-${optionColorOf(field.optionColors, label)}`
  chip.textContent = label
  return chip
}

/**
 * The list a select or multi-select cell picks from: the options filtered and ranked by what is
 * typed (rankChoices), ArrowUp/ArrowDown to move, Enter or a click to pick. A select's pick
 * becomes the input's text, so it goes through the field's parser like typed text (an unknown
 * option is refused with the reason). A multi-select keeps the chosen options as chips over the
 * list: Enter or Space toggles the active option, Backspace in an empty filter drops the last
 * one, Escape or Tab closes and saves; text left in the filter is saved with them and parsed.
 * Lives in the page's body under the input, like LinkPicker (the cell clips anything outside).
 */
export class OptionPicker {
  readonly element = document.createElement('div')
  private readonly list = document.createElement('div')
  private readonly chosenEl = document.createElement('div')
  private shown: string[] = []
  private active = -1
  /** Space toggles after the arrows moved; otherwise it is typed (options have spaces in them). */
  private navigated = false
  private readonly id = `kanso-options-${++pickerSeq}`

  constructor(
    private readonly input: HTMLInputElement,
    private readonly field: FieldDef,
    private readonly chosen: string[],
    private readonly done: () => void,
  ) {
    const multiple = field.type === 'multiSelect'
    this.element.className = 'kanso-picker kanso-option-picker'
    this.element.dataset.testid = 'option-picker'
    this.list.id = this.id
    this.list.setAttribute('role', 'listbox')
    this.list.setAttribute('aria-label', `Options of ${field.label}`)
    if (multiple) {
      this.list.setAttribute('aria-multiselectable', 'true')
      this.chosenEl.className = 'kanso-option-chosen'
      this.chosenEl.dataset.testid = 'option-chosen'
      this.element.append(this.chosenEl)
    }
    this.element.append(this.list)
    if (multiple) {
      const hint = document.createElement('div')
      hint.className = 'kanso-picker-hint'
      hint.textContent = '↑↓ move · Enter or Space chooses · Esc done'
      this.element.append(hint)
    }
    input.setAttribute('role', 'combobox')
    input.setAttribute('aria-controls', this.id)
    input.setAttribute('aria-autocomplete', 'list')
    if (multiple) input.placeholder = 'Type to filter, Enter to choose'
    input.addEventListener('input', () => { this.navigated = false; this.render() })
    input.addEventListener('keydown', this.onKey)
    // a mouse pick must not blur the input (blur ends AG Grid's editing first)
    this.element.addEventListener('mousedown', (e) => e.preventDefault())
  }

  private get multiple(): boolean {
    return this.field.type === 'multiSelect'
  }

  private onKey = (e: KeyboardEvent) => {
    const stop = () => { e.preventDefault(); e.stopPropagation() }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      stop()
      if (!this.shown.length) return
      const step = e.key === 'ArrowDown' ? 1 : -1
      this.active = this.active < 0 && step < 0 ? this.shown.length - 1 : (this.active + step + this.shown.length) % this.shown.length
      this.navigated = true
      this.paint()
    } else if (e.key === 'Enter' && !e.shiftKey && this.active >= 0) {
      if (this.multiple) {
        stop()
        this.toggle(this.shown[this.active]!)
      } else {
        // picked here; AG Grid's own Enter then ends the editing and reads the input's text
        this.input.value = this.shown[this.active]!
      }
    } else if (e.key === ' ' && this.multiple && this.active >= 0 && (this.navigated || this.input.value === '')) {
      stop()
      this.toggle(this.shown[this.active]!)
    } else if (e.key === 'Backspace' && this.multiple && this.input.value === '' && this.chosen.length) {
      stop()
      this.chosen.pop()
      this.paint()
    } else if (e.key === 'Escape' && this.multiple) {
      // the chosen options are what the person sees: Escape closes the list and keeps them
      stop()
      this.done()
    }
  }

  private toggle(option: string): void {
    const at = this.chosen.findIndex((c) => matchKey(c) === matchKey(option))
    if (at >= 0) this.chosen.splice(at, 1)
    else this.chosen.push(option)
    const keep = option
    if (this.input.value) {
      this.input.value = ''
      this.render()
    }
    this.active = this.shown.indexOf(keep)
    this.paint()
  }

  render(): void {
    const options = this.field.options ?? []
    const text = this.input.value
    // a select starts with its whole current text selected: then every option is listed
    const whole = !this.multiple && this.input.selectionStart === 0 && this.input.selectionEnd === text.length
    this.shown = whole ? [...options] : rankChoices(options, text, (o) => o)
    const current = matchKey(text)
    this.active = !text ? -1 : whole ? this.shown.findIndex((o) => matchKey(o) === current) : 0
    if (this.active >= this.shown.length) this.active = -1
    this.paint()
    this.place()
  }

  private paint(): void {
    if (this.multiple) {
      this.chosenEl.replaceChildren(...(this.chosen.length ? this.chosen.map((c) => optionChip(this.field, c)) : [Object.assign(document.createElement('span'), { className: 'kanso-muted', textContent: 'None chosen' })]))
    }
    const chosenKeys = new Set(this.chosen.map(matchKey))
    this.list.replaceChildren(...this.shown.map((option, i) => {
      const row = document.createElement('div')
      row.className = 'kanso-picker-option kanso-option-row'
      row.id = `${this.id}-${i}`
      row.setAttribute('role', 'option')
      const isChosen = chosenKeys.has(matchKey(option))
      row.setAttribute('aria-selected', String(this.multiple ? isChosen : i === this.active))
      row.classList.toggle('kanso-picker-active', i === this.active)
      if (this.multiple) {
        const mark = document.createElement('span')
        mark.className = 'kanso-option-mark'
        mark.textContent = isChosen ? '✓' : ''
        row.append(mark)
      }
      row.append(optionChip(this.field, option))
      row.addEventListener('click', () => {
        if (this.multiple) {
          this.toggle(option)
          this.input.focus()
        } else {
          this.input.value = option
          this.done()
        }
      })
      return row
    }))
    if (!this.shown.length) {
      const empty = document.createElement('div')
      empty.className = 'kanso-picker-empty'
      empty.textContent = (this.field.options ?? []).length ? `No option matches “${this.input.value.trim()}”` : 'This field has no options yet (add them from the column’s menu)'
      this.list.append(empty)
    }
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `${this.id}-${this.active}`)
      this.list.children[this.active]?.scrollIntoView({ block: 'nearest' })
    } else this.input.removeAttribute('aria-activedescendant')
    this.input.setAttribute('aria-expanded', 'true')
  }

  place(): void {
    placeUnder(this.element, this.input.getBoundingClientRect(), 220)
  }

  /** The editor's value: a select's text as typed or picked; a multi-select's chosen options and any text left in the filter. */
  value(): string {
    if (!this.multiple) return this.input.value
    const rest = this.input.value.trim()
    return [...this.chosen, ...(rest ? [rest] : [])].join(', ')
  }
}
