import * as Y from 'yjs'

/**
 * Per-user undo/redo for one document. Only transactions whose origin is this user's local
 * origin are tracked, so undo never reverts a teammate's edit.
 */
export interface LocalHistory {
  readonly origin: object
  undo(): boolean
  redo(): boolean
  canUndo(): boolean
  canRedo(): boolean
  /** Ends the current undo step so the next edit becomes a separate step. */
  stopCapturing(): void
  onChange(listener: () => void): () => void
  destroy(): void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Y.UndoManager scopes are untyped AbstractTypes
export function makeLocalHistory(scope: Y.AbstractType<any>, origin: object = {}): LocalHistory {
  const manager = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 0 })
  const listeners = new Set<() => void>()
  const emit = () => listeners.forEach((l) => l())
  manager.on('stack-item-added', emit)
  manager.on('stack-item-popped', emit)
  manager.on('stack-cleared', emit)
  return {
    origin,
    undo: () => manager.undo() !== null,
    redo: () => manager.redo() !== null,
    canUndo: () => manager.canUndo(),
    canRedo: () => manager.canRedo(),
    stopCapturing: () => manager.stopCapturing(),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    destroy: () => manager.destroy(),
  }
}
