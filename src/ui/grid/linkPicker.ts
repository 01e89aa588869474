import type { RecordDescription } from '../../domain/describeRecord'
import { matchKey } from '../../domain/normalizeSpaces'

const MAX_SHOWN = 50
let pickerSeq = 0

/**
 * The list a link cell picks from while its text is typed: each record's name and a line of
 * detail (city, email, owner), filtered by the text, ArrowUp/ArrowDown to move, Enter or a click
 * to pick. It lives in the page's body under the input (the cell clips anything outside it).
 * A pick is the record's id, so two records of one name stay apart; typed text that names
 * several is refused by the parser, never resolved to one of them.
 */
export class LinkPicker {
  readonly element = document.createElement('div')
  private shown: RecordDescription[] = []
  private active = -1
  private picked: string | null = null
  private readonly id = `kanso-picker-${++pickerSeq}`

  constructor(
    private readonly input: HTMLInputElement,
    private readonly choices: () => RecordDescription[],
    private readonly multiple: boolean,
    private readonly onPick: () => void,
  ) {
    this.element.className = 'kanso-picker'
    this.element.id = this.id
    this.element.setAttribute('role', 'listbox')
    this.element.dataset.testid = 'link-picker'
    input.setAttribute('role', 'combobox')
    input.setAttribute('aria-controls', this.id)
    input.setAttribute('aria-autocomplete', 'list')
    input.addEventListener('input', () => { this.picked = null; this.render() })
    input.addEventListener('keydown', this.onKey)
    // a mouse pick must not blur the input (blur ends AG Grid's editing first)
    this.element.addEventListener('mousedown', (e) => e.preventDefault())
  }

  /** What the text typed last (a multi-link's last part) filters by. */
  private query(): string {
    const text = this.input.value
    return matchKey(this.multiple ? text.split(/[,;]/).at(-1) ?? '' : text)
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      e.stopPropagation()
      if (!this.shown.length) return
      const step = e.key === 'ArrowDown' ? 1 : -1
      this.active = (this.active + step + this.shown.length) % this.shown.length
      this.paint()
    } else if (e.key === 'Enter' && this.active >= 0) {
      // picked here; AG Grid's own Enter then ends the editing and reads `value`
      this.picked = this.shown[this.active]!.id
    }
  }

  render(): void {
    const q = this.query()
    const all = this.choices()
    // the whole current name selected (editing starts that way) lists every record
    const whole = this.input.selectionStart === 0 && this.input.selectionEnd === this.input.value.length
    this.shown = (q && !whole ? all.filter((c) => matchKey(c.title).includes(q) || matchKey(c.detail).includes(q)) : all).slice(0, MAX_SHOWN)
    this.active = -1
    this.paint()
    this.place()
  }

  private paint(): void {
    this.element.replaceChildren(...this.shown.map((c, i) => {
      const option = document.createElement('div')
      option.className = 'kanso-picker-option'
      option.id = `${this.id}-${i}`
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', String(i === this.active))
      const title = document.createElement('span')
      title.className = 'kanso-picker-title'
      title.textContent = c.title
      const detail = document.createElement('span')
      detail.className = 'kanso-picker-detail'
      detail.textContent = c.detail
      option.append(title, detail)
      option.addEventListener('click', () => {
        this.picked = c.id
        this.onPick()
      })
      return option
    }))
    this.element.hidden = !this.shown.length
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `${this.id}-${this.active}`)
      this.element.children[this.active]?.scrollIntoView({ block: 'nearest' })
    } else this.input.removeAttribute('aria-activedescendant')
    this.input.setAttribute('aria-expanded', String(!this.element.hidden))
  }

  place(): void {
    const box = this.input.getBoundingClientRect()
    this.element.style.left = `${box.left}px`
    this.element.style.top = `${box.bottom + 2}px`
    this.element.style.minWidth = `${Math.max(box.width, 260)}px`
  }

  /** The editor's value: the typed text, or with a pick, the picked record's id (kept with the other parts of a multi-link). */
  value(): string {
    if (this.picked === null) return this.input.value
    if (!this.multiple) return this.picked
    const parts = this.input.value.split(/[,;]/).slice(0, -1).map((p) => p.trim()).filter(Boolean)
    return [...parts, this.picked].join(', ')
  }
}
