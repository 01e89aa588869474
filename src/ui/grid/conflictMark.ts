import { conflictKey, isConflictMark, type ConflictMark } from '../../domain/history/historyEntry'
import type { FieldDef, Row } from '../../domain/schema'
import { memberNameOf } from '../session/memberDirectory'
import { displayValue } from './displayValue'
import type { GridContext } from './gridContext'
import './conflictMark.css'

/** A cell's conflict mark as a person reads it: "also set to X by Y at T". */
export interface ShownConflict { mark: ConflictMark; valueText: string; title: string }

/**
 * The mark the relay set on a cell whose value won over another set while apart (issue 15), or
 * null. The other value is formatted as the cell would show it.
 */
export function conflictOf(row: Row, field: FieldDef, context: GridContext): ShownConflict | null {
  const mark = row.values[conflictKey(field.id)]
  if (!isConflictMark(mark)) return null
  const valueText = mark.value === null ? '(empty)' : displayValue(field, mark.value, context) || String(mark.value)
  const by = memberNameOf(context.parseContext.members ?? [], mark.by) ?? (mark.by.startsWith('relay:') ? 'the API' : 'a former member')
  const at = new Date(mark.at)
  const when = Number.isNaN(at.getTime()) ? mark.at : new Intl.DateTimeFormat(context.parseContext.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at)
  return { mark, valueText, title: `Also set to ${valueText} by ${by} at ${when}` }
}

let openMenu: { menu: HTMLElement; close: () => void } | null = null

/**
 * The small mark beside a cell's value; a click lists Keep this, Use <the other value> and
 * Dismiss (GridContext.resolveConflict). The menu sits on the page, not in the cell, which clips.
 */
export function conflictMarkElement(rowId: string, field: FieldDef, shown: ShownConflict, context: GridContext): HTMLElement {
  const mark = document.createElement('button')
  mark.type = 'button'
  mark.className = 'kanso-conflict-mark'
  mark.tabIndex = -1
  mark.textContent = '◆'
  mark.title = shown.title
  mark.setAttribute('aria-label', `${shown.title}. Choose a value`)
  mark.dataset.testid = 'conflict-mark'
  // the cell keeps the keyboard and does not start editing
  mark.addEventListener('mousedown', (e) => { e.preventDefault(); e.stopPropagation() })
  mark.addEventListener('dblclick', (e) => e.stopPropagation())
  mark.addEventListener('click', (e) => {
    e.stopPropagation()
    if (openMenu) { openMenu.close(); return }
    const resolve = context.resolveConflict
    const menu = document.createElement('div')
    menu.className = 'kanso-conflict-menu'
    menu.setAttribute('role', 'menu')
    menu.dataset.testid = 'conflict-menu'
    const note = document.createElement('p')
    note.textContent = shown.title
    menu.append(note)
    const close = () => {
      menu.remove()
      document.removeEventListener('mousedown', outside, true)
      document.removeEventListener('keydown', onKey, true)
      if (openMenu?.menu === menu) openMenu = null
    }
    const outside = (ev: Event) => { if (!menu.contains(ev.target as Node)) close() }
    const onKey = (ev: KeyboardEvent) => { if (ev.key === 'Escape') { ev.stopPropagation(); close() } }
    const action = (label: string, choice: 'keep' | 'use' | 'dismiss', title: string) => {
      const b = document.createElement('button')
      b.type = 'button'
      b.setAttribute('role', 'menuitem')
      b.textContent = label
      b.title = title
      b.addEventListener('click', (ev) => { ev.stopPropagation(); close(); resolve?.(rowId, field.id, choice) })
      return b
    }
    if (resolve) {
      menu.append(
        action('Keep this', 'keep', 'Keep the value the cell shows; the mark goes'),
        action(`Use ${shown.valueText}`, 'use', 'Set the cell to the other value (Ctrl+Z undoes it)'),
        action('Dismiss', 'dismiss', 'Remove the mark'),
      )
    }
    document.body.append(menu)
    const r = mark.getBoundingClientRect()
    menu.style.left = `${Math.max(4, Math.min(r.left, window.innerWidth - menu.offsetWidth - 4))}px`
    menu.style.top = `${r.bottom + 4 + menu.offsetHeight > window.innerHeight ? Math.max(4, r.top - menu.offsetHeight - 4) : r.bottom + 4}px`
    document.addEventListener('mousedown', outside, true)
    document.addEventListener('keydown', onKey, true)
    openMenu = { menu, close }
    menu.querySelector<HTMLButtonElement>('button')?.focus()
  })
  return mark
}
