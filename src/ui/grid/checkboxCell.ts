import type { FieldDef } from '../../domain/schema'

/** The drawn box of a checkbox cell: ✓ when ticked; a click flips it where the member may edit. */
export function checkBox(checked: boolean, field: FieldDef, rowId: string, toggle: ((rowId: string, field: FieldDef) => void) | undefined): HTMLElement {
  const box = document.createElement('span')
  box.className = 'kanso-check-box'
  box.setAttribute('role', 'checkbox')
  box.setAttribute('aria-checked', String(checked))
  box.setAttribute('aria-label', field.label)
  box.textContent = checked ? '✓' : ''
  if (toggle) {
    box.addEventListener('click', () => toggle(rowId, field))
    // a quick second click flips it back, and must not open the text editor as well
    box.addEventListener('dblclick', (e) => e.stopPropagation())
  }
  return box
}
