import type { ColDef, ValueGetterParams } from 'ag-grid-community'
import type { EntityDef, FieldDef, Row } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
import { nameFieldIds } from '../../domain/nameFieldIds'
import { displayValue } from './displayValue'
import { FieldCellEditor } from './fieldCellEditor'
import { FieldCellRenderer } from './fieldCellRenderer'
import { FieldHeader } from './fieldHeader'
import type { GridContext } from './gridContext'
import { cellKey } from './gridContext'
import { headerWidth } from './headerWidth'

const WIDTH: Partial<Record<FieldDef['type'], number>> = {
  checkbox: 80, number: 110, money: 130, date: 120, dateTime: 165, select: 130, member: 130, phone: 150, email: 210, url: 190, longText: 240,
}

export interface FieldColumnOptions {
  editable: boolean
  /**
   * An entry for a cell (the editor's text, or null from Delete on the cell), given in the task of
   * the keystroke that ends the editing: parse it and write it (or keep it refused). The grid's
   * row is not changed by the grid; the new row comes from the store.
   */
  commitEdit: (row: Row, field: FieldDef, raw: unknown) => void
  openFieldMenu: (field: FieldDef, anchor: HTMLElement) => void
  /** Flips a checkbox cell (Space on the focused cell, or a click on its box). */
  toggleCheckbox?: (rowId: string, field: FieldDef) => void
  /** Opens a row's record panel: Space on a cell (Shift+Space ticks the row), the name cell's Open button. */
  openRecord?: (rowId: string) => void
}

/** AG Grid columns for an entity's live fields, driven by the schema as data (sorting and search: rowView). */
export function fieldColumns(entity: EntityDef, ctx: GridContext, opts: FieldColumnOptions): ColDef<Row>[] {
  const name = nameFieldIds(entity)
  return liveFields(entity).map((field): ColDef<Row> => {
    const numeric = field.type === 'number' || field.type === 'money'
    const linkLike = field.type === 'email' || field.type === 'phone' || field.type === 'url' || (field.type === 'link' && !!ctx.records)
    return {
      colId: field.id,
      // the record's name (a person's first and last name) stays at the left while scrolling
      // sideways, in field order; no other column can be pinned
      pinned: name.includes(field.id) ? 'left' : null,
      lockPinned: true,
      headerName: field.label,
      headerComponent: FieldHeader,
      headerComponentParams: { field, openFieldMenu: opts.openFieldMenu },
      // initialWidth, not width: AG Grid applies `width` again on every columnDefs update, so a
      // teammate's field edit would reset the widths this member dragged (and save the reset)
      initialWidth: headerWidth(field, WIDTH[field.type] ?? 160),
      valueGetter: (p: ValueGetterParams<Row>) => p.data?.values[field.id] ?? null,
      valueFormatter: (p) => displayValue(field, p.value, ctx),
      valueSetter: (p) => {
        if (p.data) opts.commitEdit(p.data, field, p.newValue)
        return false
      },
      editable: opts.editable,
      cellEditor: FieldCellEditor,
      cellEditorParams: { field, gridContext: ctx },
      cellEditorPopup: field.type === 'longText',
      cellRenderer: FieldCellRenderer,
      cellRendererParams: { field, gridContext: ctx, liveContext: () => ctx, phoneScheme: () => ctx.phoneScheme, toggleCheckbox: opts.editable ? opts.toggleCheckbox : undefined, openRecord: field.id === entity.primaryField ? opts.openRecord : undefined },
      cellClass: numeric ? 'kanso-num' : undefined,
      cellClassRules: {
        'kanso-cell-has-error': (p) => !!p.data && ctx.refused.has(cellKey(p.data.id, field.id)),
        'kanso-cell-has-peer': (p) => !!p.data && !!ctx.presence.get(cellKey(p.data.id, field.id))?.length,
      },
      cellStyle: (p) => {
        const peers = p.data ? ctx.presence.get(cellKey(p.data.id, field.id)) : undefined
        return peers?.length ? { boxShadow: `inset 0 0 0 2px ${peers[0]!.user.color}` } : { boxShadow: 'none' }
      },
      suppressKeyboardEvent: (p) => {
        // Ctrl/Cmd+Z and +Y belong to Kanso's per-member undo, not to AG Grid.
        const e = p.event
        // Ctrl/Cmd+Enter opens a link cell (makeEntityGrid), it does not start editing
        if (linkLike && !p.editing && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return true
        if (field.type === 'checkbox' && !p.editing && e.key === ' ' && !e.ctrlKey && !e.metaKey && !e.altKey) {
          // Space flips the box like a spreadsheet's checkbox (not AG Grid's row selection)
          if (e.type === 'keydown' && opts.editable && p.data) {
            e.preventDefault()
            opts.toggleCheckbox?.(p.data.id, field)
          }
          return true
        }
        if (opts.openRecord && !p.editing && e.key === ' ' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
          // Space opens the row's record panel; typing any other key still edits the cell
          if (e.type === 'keydown' && p.data) {
            e.preventDefault()
            opts.openRecord(p.data.id)
          }
          return true
        }
        return !p.editing && (e.ctrlKey || e.metaKey) && ['z', 'y', 'Z', 'Y'].includes(e.key)
      },
    }
  })
}
