import type { ColumnState } from 'ag-grid-community'

/** AG Grid's id of the row-selection (tick) column. */
export const SELECTION_COLUMN_ID = 'ag-Grid-SelectionColumn'

/**
 * A member's saved column layout as the grid may apply it: the tick column and the record's
 * name (nameFieldIds: a person's first and last name) stay pinned at the left and shown, whatever a layout saved before pinning (or edited by
 * hand) says, and no other column is pinned. Order, widths, sort and the other columns'
 * visibility are kept as saved.
 */
export function keepNamePinned(saved: readonly ColumnState[], nameFieldIds: readonly string[]): ColumnState[] {
  return saved.map((s) => {
    const fixed = nameFieldIds.includes(s.colId) || s.colId === SELECTION_COLUMN_ID
    return fixed ? { ...s, pinned: 'left', hide: false } : { ...s, pinned: null }
  })
}
