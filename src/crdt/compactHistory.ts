import type { CompactRecordStore, KeyChange, KeyItem, LocalChange, ReplacedItem } from './compactRecordStore'
import type { ItemId } from './encodeUpdateV1'
import type { LocalHistory } from './localHistory'

/*
 * Per-member undo/redo over a CompactRecordStore with Y.UndoManager's map semantics (yjs 13.6,
 * captureTimeout 0), decided by item ids instead of a Y.Doc:
 * - a step is the items a local change wrote and the live items it deleted;
 * - undoing deletes the items the step wrote (or what they were re-created as) while they still
 *   hold their key, and re-writes each deleted item's value only when every item after it on its
 *   key is one this history accounts for (written by the step, deleted by a step on either
 *   stack, or re-created) — a teammate's later item blocks it, even one that lost a race;
 * - an item of a record map that another client has since replaced or removed (records.set or
 *   delete of its id) is neither deleted nor re-written, as Yjs does not redo into a deleted
 *   parent: undo leaves that record alone and undoes the rest of the step;
 * - steps that change nothing are dropped; a new local change clears the redo stack.
 * To tell "after", the history keeps the item order of each key it has a step on, from the
 * step's items onwards, placing remote items as Item.integrate does.
 */

interface Step { inserted: KeyItem[]; deleted: ReplacedItem[] }
interface ListItem { id: ItemId; origin: ItemId | null | undefined }

const idKey = (id: ItemId) => `${id.client}:${id.clock}`
const cellKey = (recordId: string, key: string) => `${recordId}\u0000${key}`
const sameId = (a: ItemId | null | undefined, b: ItemId | null | undefined) =>
  a === null ? b === null : a === undefined || b === undefined || b === null ? false : a.client === b.client && a.clock === b.clock

export class CompactHistory implements LocalHistory {
  readonly origin = {}
  private undoStack: Step[] = []
  private redoStack: Step[] = []
  /** Deleted items re-written by an undo or redo → the item that re-wrote them (Item.redone). */
  private redone = new Map<string, KeyItem>()
  private lists = new Map<string, ListItem[]>()
  /**
   * Records with a list on some key (fresh items of other records need no lookup by key).
   */
  private listed = new Set<string>()
  /**
   * Items a step wrote as the first on their key (a created record's values), per record: their
   * key's list ([the item]) is made only once something needs it — a remote item on that key, a
   * later local write, an undo's check. An import of 100k records made 500k lists nothing read.
   */
  private fresh = new Map<string, KeyItem[]>()
  private listeners = new Set<() => void>()
  private stopRemote: () => void

  /** `write` performs (stores, sends, reports) a change made by undo or redo. */
  constructor(private store: CompactRecordStore, private write: (changes: KeyChange[]) => LocalChange) {
    this.stopRemote = store.watchRemoteItems({
      watching: () => this.lists.size > 0 || this.fresh.size > 0,
      wants: (recordId, key) => this.listOf(recordId, key) !== undefined,
      receive: (items) => { for (const item of items) this.integrate(item) },
    })
  }

  /**
   * A local change becomes one undo step of the `tracked` items it wrote (all by default) and the
   * items it deleted; a change that wrote and deleted nothing is no step, as in Y.UndoManager.
   */
  push(change: LocalChange, tracked: KeyItem[] = change.written): void {
    if (!change.written.length && !change.replaced.length) return
    const step = { inserted: tracked, deleted: change.replaced }
    this.noteLocal(change, step)
    this.undoStack.push(step)
    this.redoStack = []
    this.emit()
  }

  undo(): boolean { return this.pop(this.undoStack, this.redoStack) }
  redo(): boolean { return this.pop(this.redoStack, this.undoStack) }
  canUndo(): boolean { return this.undoStack.length > 0 }
  canRedo(): boolean { return this.redoStack.length > 0 }
  /** Every change is its own step already (captureTimeout 0). */
  stopCapturing(): void {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.stopRemote()
    this.listeners.clear()
    this.undoStack = []
    this.redoStack = []
    this.lists.clear()
    this.listed.clear()
    this.fresh.clear()
    this.redone.clear()
  }

  private emit(): void {
    this.listeners.forEach((l) => l())
  }

  /** Pops steps until one changes something (popStackItem); its inverse goes onto `to`. */
  private pop(from: Step[], to: Step[]): boolean {
    let popped = false
    try {
      while (from.length) {
        const step = from.pop()!
        popped = true
        const inserted = new Set(step.inserted.map((it) => idKey(it.id)))
        // collected before anything is re-written, as Yjs does
        const toDelete = step.inserted.map((it) => this.follow(it)).filter((it) => {
          if (!this.inLiveMap(it)) return false
          const last = this.store.lastItemId(it.recordId, it.key)
          return last !== null && last.live && sameId(last.id, it.id)
        })
        const accounted = new Set<string>()
        for (const s of [...this.undoStack, ...this.redoStack]) for (const d of s.deleted) accounted.add(idKey(d.id))
        let performed = toDelete.length > 0
        const restore: ReplacedItem[] = []
        const restoredKeys = new Set<string>()
        for (const y of step.deleted) {
          if (inserted.has(idKey(y.id)) || !this.inLiveMap(y)) continue
          // already re-written: Yjs counts that as a change without writing anything
          if (this.redone.has(idKey(y.id))) { performed = true; continue }
          const k = cellKey(y.recordId, y.key)
          // a second item of one key would find the first one's re-write after it
          if (restoredKeys.has(k) || !this.canRestore(y, inserted, accounted)) continue
          restoredKeys.add(k)
          restore.push(y)
        }
        if (!performed && !restore.length) continue
        const changes: KeyChange[] = restore.map((y) => ({ recordId: y.recordId, key: y.key, value: y.value }))
        for (const x of toDelete) if (!restoredKeys.has(cellKey(x.recordId, x.key))) changes.push({ recordId: x.recordId, key: x.key, value: undefined })
        if (changes.length) {
          const change = this.write(changes)
          for (const y of restore) {
            const rewrite = change.written.find((w) => w.recordId === y.recordId && w.key === y.key)
            if (rewrite) this.redone.set(idKey(y.id), rewrite)
          }
          const inverse = { inserted: change.written, deleted: change.replaced }
          this.noteLocal(change, inverse)
          if (change.written.length || change.replaced.length) to.push(inverse)
        }
        return true
      }
      return false
    } finally {
      if (popped) this.emit()
    }
  }

  /** The record map the item belongs to is still the one at its record id. */
  private inLiveMap(item: KeyItem): boolean {
    return sameId(this.store.recordMapId(item.recordId), item.map)
  }

  /** An item written by a step, or what an undo or redo re-wrote it as (followRedone). */
  private follow(item: KeyItem): KeyItem {
    let at = item
    for (let next = this.redone.get(idKey(at.id)); next; next = this.redone.get(idKey(at.id))) at = next
    return at
  }

  /** redoItem's check: every item after `y` on its key is accounted for. */
  private canRestore(y: ReplacedItem, inserted: Set<string>, accounted: Set<string>): boolean {
    const list = this.listOf(y.recordId, y.key)
    if (!list) return true
    let at = indexOf(list, y.id)
    if (at < 0) return false
    while (at < list.length - 1) {
      const right = idKey(list[at + 1]!.id)
      if (!this.redone.has(right) && !inserted.has(right) && !accounted.has(right)) return false
      let left = list[at + 1]!.id
      for (let next = this.redone.get(idKey(left)); next; next = this.redone.get(idKey(left))) left = next.id
      at = indexOf(list, left)
      if (at < 0) return false
    }
    return true
  }

  /** Starts the item order of the step's keys and appends this member's new items (always last). */
  private noteLocal(change: LocalChange, step: Step): void {
    // the first item of a key in a record no list knows: kept as fresh, its list made when needed
    const tracked = new Set<KeyItem>()
    for (const x of step.inserted) {
      const first = x.origin === null && !this.listed.has(x.recordId)
      const items = first ? this.fresh.get(x.recordId) : undefined
      // (a second first item of a key: its record was replaced; the list then holds both)
      if (first && !items?.some((it) => it.key === x.key)) {
        if (items) items.push(x)
        else this.fresh.set(x.recordId, [x])
      } else {
        tracked.add(x)
      }
    }
    if (!tracked.size && !change.replaced.length) return
    const stepKeys = new Set([...tracked, ...step.deleted].map((it) => cellKey(it.recordId, it.key)))
    for (const y of change.replaced) {
      const k = cellKey(y.recordId, y.key)
      if (stepKeys.has(k) && !this.listOf(y.recordId, y.key)) this.setList(y.recordId, k, [{ id: y.id, origin: y.origin }])
    }
    for (const x of change.written) {
      if (x.origin === null && !tracked.has(x) && !this.listed.has(x.recordId)) continue
      const k = cellKey(x.recordId, x.key)
      let list = this.listOf(x.recordId, x.key)
      if (!list && stepKeys.has(k)) this.setList(x.recordId, k, (list = x.origin ? [{ id: x.origin, origin: undefined }] : []))
      if (list && indexOf(list, x.id) < 0) list.push({ id: x.id, origin: x.origin })
    }
  }

  /** The item order kept of a key, made from a fresh item when it is first needed. */
  private listOf(recordId: string, key: string): ListItem[] | undefined {
    const k = cellKey(recordId, key)
    const list = this.lists.get(k)
    if (list) return list
    const items = this.fresh.get(recordId)
    const x = items?.find((it) => it.key === key)
    if (!x) return undefined
    const made = [{ id: x.id, origin: x.origin }]
    this.setList(recordId, k, made)
    return made
  }

  private setList(recordId: string, k: string, list: ListItem[]): void {
    this.lists.set(k, list)
    this.listed.add(recordId)
  }

  /**
   * Places a remote item among a key's known items: after the item the store saw it follow, or
   * else as Item.integrate does (map items have no right origin). A list starts at a step's
   * items, so an item placed before all of it is before them in the document too.
   */
  private integrate(z: KeyItem): void {
    const list = this.listOf(z.recordId, z.key)
    if (!list || indexOf(list, z.id) >= 0) return
    if (z.after !== undefined) {
      list.splice(z.after === null ? 0 : indexOf(list, z.after) + 1, 0, { id: z.id, origin: z.origin })
      return
    }
    if (z.origin === undefined) { list.push({ id: z.id, origin: z.origin }); return }
    let left = z.origin === null ? -1 : indexOf(list, z.origin)
    const beforeOrigin = new Set<string>()
    const conflicting = new Set<string>()
    for (let o = left + 1; o < list.length; o++) {
      const item = list[o]!
      beforeOrigin.add(idKey(item.id))
      conflicting.add(idKey(item.id))
      if (sameId(z.origin, item.origin)) {
        if (item.id.client < z.id.client) { left = o; conflicting.clear() } else break
      } else if (item.origin && beforeOrigin.has(idKey(item.origin))) {
        if (!conflicting.has(idKey(item.origin))) { left = o; conflicting.clear() }
      } else {
        break
      }
    }
    list.splice(left + 1, 0, { id: z.id, origin: z.origin })
  }
}

function indexOf(list: readonly ListItem[], id: ItemId): number {
  for (let k = list.length - 1; k >= 0; k--) if (list[k]!.id.client === id.client && list[k]!.id.clock === id.clock) return k
  return -1
}
