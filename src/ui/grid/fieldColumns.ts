import type { ColDef, ValueGetterParams } from 'ag-grid-community'
import type { EntityDef, FieldDef, Row } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
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
  openFieldMenu: (field: FieldDef, anchor: HTMLElement) => void
}

/** AG Grid columns for an entity's live fields, driven by the schema as data (sorting and search: rowView). */
export function fieldColumns(entity: EntityDef, ctx: GridContext, opts: FieldColumnOptions): ColDef<Row>[] {
  return liveFields(entity).map((field): ColDef<Row> => {
    const numeric = field.type === 'number' || field.type === 'money'
    return {
      colId: field.id,
      headerName: field.label,
      headerComponent: FieldHeader,
      headerComponentParams: { field, openFieldMenu: opts.openFieldMenu },
      width: headerWidth(field, WIDTH[field.type] ?? 160),
      valueGetter: (p: ValueGetterParams<Row>) => p.data?.values[field.id] ?? null,
      valueFormatter: (p) => displayValue(field, p.value, ctx),
      editable: opts.editable,
      cellEditor: FieldCellEditor,
      cellEditorParams: { field, gridContext: ctx },
      cellEditorPopup: field.type === 'longText',
      cellRenderer: FieldCellRenderer,
      cellRendererParams: { field, gridContext: ctx },
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
        return !p.editing && (e.ctrlKey || e.metaKey) && ['z', 'y', 'Z', 'Y'].includes(e.key)
      },
    }
  })
}
