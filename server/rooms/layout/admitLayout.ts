import type { UpdateInspection } from '../inspectUpdate'
import type { LayoutGuard, Verdict } from './layoutGuard'

/** An update breaks its document's layout: its sender is closed with CLOSE_LAYOUT_VIOLATION. */
export class LayoutViolationError extends Error {}

/**
 * Applies a layout verdict to an incoming update: true when it may be stored (the guard then
 * counts it as the room's), false when it is held until the room has what it hangs off
 * (`retry` handles it again then; `askForMissing` runs when the sender had nothing held yet,
 * to ask it for what we lack). Throws LayoutViolationError when it breaks the layout.
 */
export function admitLayout(
  guard: LayoutGuard | null,
  documentName: string,
  verdict: Verdict | null,
  inspection: UpdateInspection,
  owner: object,
  retry: () => void,
  askForMissing: () => void,
): boolean {
  if (!guard || !verdict) return true
  if (verdict.ok) {
    guard.accept(verdict.analysis, inspection)
    return true
  }
  if ('violation' in verdict) throw new LayoutViolationError(`update breaks the layout of "${documentName}": ${verdict.violation}`)
  if (guard.hold(owner, verdict.missing, retry)) askForMissing()
  return false
}
