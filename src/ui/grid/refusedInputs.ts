import type { RefusedEdit } from './gridContext'

export interface RefusedCell { entityId: string; key: string; rowId: string; fieldId: string }

/**
 * The refused entries of every list, kept on this device until fixed or dropped (Escape): a
 * refused cell used to vanish on a list switch while the status said "Everything is on the
 * server". Each list's grid works on `of(entityId)`, the same Map across switches, and calls
 * `changed` after it sets or deletes an entry.
 */
export interface RefusedInputs {
  of(entityId: string): Map<string, RefusedEdit>
  changed(entityId: string): void
  count(): number
  first(): RefusedCell | undefined
  subscribe(listener: () => void): () => void
  /** Asks the list showing this cell to focus it (now, or once its grid is up). */
  requestFocus(cell: RefusedCell): void
  takeFocusRequest(entityId: string): RefusedCell | undefined
}

type Stored = Record<string, [key: string, edit: RefusedEdit][]>

export function makeRefusedInputs(memberId: string): RefusedInputs {
  const storageKey = `kanso.refused.${memberId}`
  const byEntity = new Map<string, Map<string, RefusedEdit>>()
  const saved = localStorage.getItem(storageKey)
  if (saved) for (const [entityId, entries] of Object.entries(JSON.parse(saved) as Stored)) byEntity.set(entityId, new Map(entries))
  const listeners = new Set<() => void>()
  let focusRequest: RefusedCell | undefined
  const save = () => {
    const out: Stored = {}
    for (const [entityId, map] of byEntity) if (map.size) out[entityId] = [...map]
    if (Object.keys(out).length) localStorage.setItem(storageKey, JSON.stringify(out))
    else localStorage.removeItem(storageKey)
  }
  return {
    of(entityId) {
      let map = byEntity.get(entityId)
      if (!map) byEntity.set(entityId, (map = new Map()))
      return map
    },
    changed() {
      save()
      for (const l of listeners) l()
    },
    count: () => [...byEntity.values()].reduce((n, m) => n + m.size, 0),
    first() {
      for (const [entityId, map] of byEntity) {
        for (const key of map.keys()) {
          const [rowId, fieldId] = key.split('\u0000') as [string, string]
          return { entityId, key, rowId, fieldId }
        }
      }
      return undefined
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    requestFocus(cell) {
      focusRequest = cell
      for (const l of listeners) l()
    },
    takeFocusRequest(entityId) {
      if (focusRequest?.entityId !== entityId) return undefined
      const cell = focusRequest
      focusRequest = undefined
      return cell
    },
  }
}
