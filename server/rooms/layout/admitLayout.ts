import type { UpdateInspection } from '../inspectUpdate'
import type { LayoutGuard, Verdict } from './layoutGuard'

/** An update breaks its document's layout: its sender is closed with CLOSE_LAYOUT_VIOLATION. */
export class LayoutViolationError extends Error {}

/** Whoever sent an update that may be held: told to handle it again, and asked for what the room lacks. */
export interface HeldUpdateOwner {
  /** The room now has what `message` hung off: handle it again from the start. */
  retryHeld(message: Uint8Array): void
  /** The owner's first held update: ask its sender for what we lack. */
  askForMissing(): void
}

/**
 * Applies a layout verdict to an incoming update: true when it may be stored (the guard then
 * counts it as the room's), false when it is held until the room has what it hangs off
 * (`owner.retryHeld(message)` then; `askForMissing` runs when the owner had nothing held yet).
 * Throws LayoutViolationError when it breaks the layout. Nothing is allocated on the way
 * through: this runs for every client update.
 */
export function admitLayout(
  guard: LayoutGuard | null,
  documentName: string,
  verdict: Verdict | null,
  inspection: UpdateInspection,
  owner: HeldUpdateOwner,
  message: Uint8Array,
): boolean {
  if (!guard || !verdict) return true
  if (verdict.ok) {
    guard.accept(verdict.analysis, inspection)
    return true
  }
  if ('violation' in verdict) throw new LayoutViolationError(`update breaks the layout of "${documentName}": ${verdict.violation}`)
  if (guard.hold(owner, verdict.missing, () => owner.retryHeld(message))) owner.askForMissing()
  return false
}
