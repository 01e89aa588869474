import type { CalendarDate } from '../../domain/calendarDate'
import { toIsoDate } from '../../domain/calendarDate'
import { addDays, addMonths, localeFirstDay, monthPage, sameDay } from '../../domain/calendarMonth'
import type { ParseContext } from '../../domain/parseFieldInput'
import { parseDateText } from '../../domain/parseDateText'
import { parseDateTimeText } from '../../domain/parseDateTimeText'
import { safeLocale } from '../../domain/safeLocale'
import { placeUnder } from './placeUnder'

let calendarSeq = 0

/** The day (and a date-time's wall-clock time) the input's text reads as, in the member's zone. */
function readInput(kind: 'date' | 'dateTime', text: string, ctx: ParseContext): { date: CalendarDate; time?: string } | undefined {
  const locale = safeLocale(ctx.locale)
  if (kind === 'date') {
    const read = parseDateText(text, locale)
    return read.ok ? { date: read.date } : undefined
  }
  const read = parseDateTimeText(text, locale, ctx.timeZone ?? 'UTC')
  if (!read.ok) return undefined
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: ctx.timeZone ?? 'UTC', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(read.ms)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const time = `${String(part('hour')).padStart(2, '0')}:${String(part('minute')).padStart(2, '0')}`
  return { date: { year: part('year'), month: part('month'), day: part('day') }, time: read.hasTime ? time : undefined }
}

function today(timeZone: string | undefined): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone ?? 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(Date.now())
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return { year: part('year'), month: part('month'), day: part('day') }
}

/**
 * The calendar under a date or date-time editor. Typing stays the way in: the calendar follows
 * the day the text reads as. ArrowUp/ArrowDown (or PageUp/PageDown) take the keyboard into the
 * calendar; then the arrows move by a day or a week, PageUp/PageDown by a month (with Shift a
 * year), and Enter writes the day into the input as ISO (a date-time keeps its typed time), so
 * the pick goes through the field's parser like typed text. Typing again leaves the calendar.
 */
export class CalendarPicker {
  readonly element = document.createElement('div')
  private readonly title = document.createElement('div')
  private readonly days = document.createElement('div')
  private focus: CalendarDate
  private picked: CalendarDate | undefined
  private engaged = false
  private readonly id = `kanso-calendar-${++calendarSeq}`
  private readonly locale: string
  private readonly firstDay: number

  constructor(
    private readonly input: HTMLInputElement,
    private readonly kind: 'date' | 'dateTime',
    private readonly ctx: ParseContext,
    /** Below this element when it shows (the editor's reading line), else below the input. */
    private readonly below: () => HTMLElement | null,
    private readonly done: () => void,
  ) {
    this.locale = safeLocale(ctx.locale)
    this.firstDay = localeFirstDay(this.locale)
    this.picked = readInput(kind, input.value, ctx)?.date
    this.focus = this.picked ?? today(ctx.timeZone)
    this.element.className = 'kanso-calendar'
    this.element.dataset.testid = 'calendar'
    const head = document.createElement('div')
    head.className = 'kanso-calendar-head'
    const step = (label: string, months: number) => {
      const b = document.createElement('button')
      b.type = 'button'
      b.tabIndex = -1
      b.className = 'kanso-calendar-step'
      b.textContent = months < 0 ? '‹' : '›'
      b.setAttribute('aria-label', label)
      b.addEventListener('click', () => this.move(addMonths(this.focus, months)))
      return b
    }
    this.title.className = 'kanso-calendar-title'
    this.title.setAttribute('aria-live', 'polite')
    head.append(step('Previous month (PageUp)', -1), this.title, step('Next month (PageDown)', 1))
    const weekdays = document.createElement('div')
    weekdays.className = 'kanso-calendar-weekdays'
    const weekdayName = new Intl.DateTimeFormat(this.locale, { weekday: 'short', timeZone: 'UTC' })
    for (const cell of monthPage(2026, 6, this.firstDay).slice(0, 7)) {
      const w = document.createElement('span')
      w.textContent = weekdayName.format(Date.UTC(cell.date.year, cell.date.month - 1, cell.date.day))
      weekdays.append(w)
    }
    this.days.className = 'kanso-calendar-days'
    this.days.id = this.id
    this.days.setAttribute('role', 'grid')
    const hint = document.createElement('div')
    hint.className = 'kanso-calendar-hint'
    hint.textContent = '↑↓ into the calendar · ←→ day · PgUp/PgDn month · Enter picks'
    this.element.append(head, weekdays, this.days, hint)
    this.element.addEventListener('mousedown', (e) => e.preventDefault())
    input.addEventListener('keydown', this.onKey)
    input.addEventListener('input', () => {
      this.engaged = false
      const read = readInput(kind, input.value, ctx)
      this.picked = read?.date
      if (read) this.focus = read.date
      this.render()
    })
  }

  private onKey = (e: KeyboardEvent) => {
    const by: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault()
      e.stopPropagation()
      this.engaged = true
      this.move(addMonths(this.focus, (e.key === 'PageUp' ? -1 : 1) * (e.shiftKey ? 12 : 1)))
    } else if (e.key in by && (this.engaged || e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault()
      e.stopPropagation()
      // the first ArrowUp/ArrowDown enters the calendar on the day shown; after that they move by weeks
      if (this.engaged) this.move(addDays(this.focus, by[e.key]!))
      else {
        this.engaged = true
        this.render()
      }
    } else if (e.key === 'Enter' && this.engaged) {
      // picked here; AG Grid's own Enter then ends the editing and reads the input's text
      this.write(this.focus)
    }
  }

  private write(date: CalendarDate): void {
    const time = this.kind === 'dateTime' ? readInput(this.kind, this.input.value, this.ctx)?.time : undefined
    this.input.value = time ? `${toIsoDate(date)} ${time}` : toIsoDate(date)
    this.picked = date
  }

  private move(to: CalendarDate): void {
    this.focus = to
    this.render()
  }

  render(): void {
    this.title.textContent = new Intl.DateTimeFormat(this.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(Date.UTC(this.focus.year, this.focus.month - 1, 1))
    const dayName = new Intl.DateTimeFormat(this.locale, { dateStyle: 'full', timeZone: 'UTC' })
    const now = today(this.ctx.timeZone)
    const page = monthPage(this.focus.year, this.focus.month, this.firstDay)
    const weeks: HTMLElement[] = []
    for (let w = 0; w < 6; w++) {
      const week = document.createElement('div')
      week.setAttribute('role', 'row')
      week.className = 'kanso-calendar-week'
      for (const { date, inMonth } of page.slice(w * 7, w * 7 + 7)) {
        const day = document.createElement('span')
        day.setAttribute('role', 'gridcell')
        day.id = `${this.id}-${toIsoDate(date)}`
        day.dataset.date = toIsoDate(date)
        day.textContent = String(date.day)
        day.setAttribute('aria-label', dayName.format(Date.UTC(date.year, date.month - 1, date.day)))
        day.className = 'kanso-calendar-day'
        day.classList.toggle('kanso-calendar-outside', !inMonth)
        day.classList.toggle('kanso-calendar-today', sameDay(date, now))
        day.classList.toggle('kanso-calendar-focus', this.engaged && sameDay(date, this.focus))
        day.setAttribute('aria-selected', String(!!this.picked && sameDay(date, this.picked)))
        day.addEventListener('click', () => {
          this.write(date)
          this.done()
        })
        week.append(day)
      }
      weeks.push(week)
    }
    this.days.replaceChildren(...weeks)
    if (this.engaged) this.input.setAttribute('aria-activedescendant', `${this.id}-${toIsoDate(this.focus)}`)
    else this.input.removeAttribute('aria-activedescendant')
    this.element.classList.toggle('kanso-calendar-engaged', this.engaged)
    this.place()
  }

  place(): void {
    // the input and the reading line under it, as one box to stay clear of
    const box = this.input.getBoundingClientRect()
    const over = this.below()
    const bottom = over && !over.hidden ? Math.max(box.bottom, over.getBoundingClientRect().bottom) : box.bottom
    placeUnder(this.element, new DOMRect(box.left, box.top, box.width, bottom - box.top), 0)
  }
}
