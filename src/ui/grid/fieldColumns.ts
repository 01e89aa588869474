import type { ColDef, ValueGetterParams } from 'ag-grid-community'
import type { EntityDef, FieldDef, FieldValue, Money, Row } from '../../domain/schema'
import { liveFields } from '../../domain/schema'
import { displayValue } from './displayValue'
import { FieldCellEditor } from './fieldCellEditor'
import { FieldCellRenderer } from './fieldCellRenderer'
import { FieldHeader } from './fieldHeader'
import type { GridContext } from './gridContext'
import { cellKey } from './gridContext'

const WIDTH: Partial<Record<FieldDef['type'], number>> = {
  checkbox: 80, number: 110, money: 130, date: 120, dateTime: 165, select: 130, member: 130, phone: 150, email: 210, url: 190, longText: 240,
}

function sortKey(field: FieldDef, value: FieldValue | undefined, ctx: GridContext): string | number | null {
  if (value === null || value === undefined) return null
  if (field.type === 'money') return (value as Money).amount
  if (field.type === 'number') return value as number
  if (field.type === 'checkbox') return value ? 1 : 0
  if (field.type === 'date' || field.type === 'dateTime') return String(value)
  return displayValue(field, value, ctx).toLocaleLowerCase()
}

export interface FieldColumnOptions {
  editable: boolean
  openFieldMenu: (field: FieldDef, anchor: HTMLElement) => void
}

/** AG Grid columns for an entity's live fields, driven by the schema as data. */
export function fieldColumns(entity: EntityDef, ctx: GridContext, opts: FieldColumnOptions): ColDef<Row>[] {
  return liveFields(entity).map((field): ColDef<Row> => {
    const numeric = field.type === 'number' || field.type === 'money'
    return {
      colId: field.id,
      headerName: field.label,
      headerComponent: FieldHeader,
      headerComponentParams: { field, openFieldMenu: opts.openFieldMenu },
      width: WIDTH[field.type] ?? 160,
      valueGetter: (p: ValueGetterParams<Row>) => p.data?.values[field.id] ?? null,
      valueFormatter: (p) => displayValue(field, p.value, ctx),
      getQuickFilterText: (p) => displayValue(field, p.value, ctx),
      comparator: (a, b) => {
        const ka = sortKey(field, a, ctx)
        const kb = sortKey(field, b, ctx)
        if (ka === kb) return 0
        if (ka === null) return 1
        if (kb === null) return -1
        return ka < kb ? -1 : 1
      },
      filter: numeric ? 'agNumberColumnFilter' : 'agTextColumnFilter',
      filterValueGetter: (p) => {
        const v = p.data?.values[field.id]
        if (numeric) return v == null ? null : field.type === 'money' ? (v as Money).amount / 100 : v
        return displayValue(field, v, ctx)
      },
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
