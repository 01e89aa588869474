import type { ColumnState } from 'ag-grid-community'

/** Column order, width, visibility and sort per member and entity, kept on this device. */
export function loadColumnLayout(memberId: string, entityId: string): ColumnState[] | null {
  const raw = localStorage.getItem(layoutKey(memberId, entityId))
  if (!raw) return null
  try {
    const parsed: unknown = JSON.parse(raw)
    return Array.isArray(parsed) ? (parsed as ColumnState[]) : null
  } catch (err) {
    console.warn('kanso: ignoring an unreadable column layout', err)
    return null
  }
}

export function saveColumnLayout(memberId: string, entityId: string, state: ColumnState[]): void {
  localStorage.setItem(layoutKey(memberId, entityId), JSON.stringify(state))
}

function layoutKey(memberId: string, entityId: string): string {
  return `kanso.columns.${memberId}.${entityId}`
}
