import type { EntityStore } from '../crdt/entityStore'

/** One undo step in one entity's history, as LinkedUndo numbers them. */
export interface LinkedStep { entityId: string; step: number }

/*
 * Undo across entity documents. A member's change and what the rules did because of it can land
 * in several documents (a lead in `entity-leads`, its "Call the customer" in
 * `entity-activities`), and each document has its own undo history; one Ctrl+Z must take all of
 * it back. LinkedUndo mirrors each history's stacks with step numbers (a step is counted when
 * the history reports a change while a local write runs) and groups the steps one change made:
 * undo in any of their lists undoes the whole group while every step of it is still on top of its
 * history (nothing of this member's came after it there), else that list's last step alone.
 * Redo regroups the same way. Like the histories, it is this worker's (a reload forgets it).
 */
export class LinkedUndo {
  private undoStacks = new Map<string, number[]>()
  private redoStacks = new Map<string, number[]>()
  private groups = new Map<number, LinkedStep[]>()
  private events = new Map<string, number>()
  private stores = new Map<string, EntityStore>()
  private stops: (() => void)[] = []
  private next = 1

  watch(store: EntityStore): void {
    if (this.stores.has(store.entityId)) return
    this.stores.set(store.entityId, store)
    this.stops.push(store.history.onChange(() => this.events.set(store.entityId, (this.events.get(store.entityId) ?? 0) + 1)))
  }

  /** Runs a local write of `entityId`; answers its step when it became one (a write that changed nothing is none). */
  track(entityId: string, write: () => void): LinkedStep | null {
    const before = this.events.get(entityId) ?? 0
    write()
    if ((this.events.get(entityId) ?? 0) === before) return null
    const step = this.next++
    stackOf(this.undoStacks, entityId).push(step)
    // a new local change ends what could be redone in that list, as its history does
    for (const s of this.redoStacks.get(entityId)?.splice(0) ?? []) this.groups.delete(s)
    return { entityId, step }
  }

  /** The steps one change made, undone and redone together. */
  group(steps: readonly LinkedStep[]): void {
    if (steps.length < 2) return
    const group = [...steps]
    for (const s of group) this.groups.set(s.step, group)
  }

  /**
   * Adds steps to a group that grows while a long change is written in parts (an import's
   * batches, each with its rules' writes): the group may hold several steps of one list, and
   * one undo takes them all back while they are the top of their histories.
   */
  join(group: LinkedStep[], steps: readonly LinkedStep[]): void {
    for (const s of steps) {
      group.push(s)
      this.groups.set(s.step, group)
    }
  }

  undo(entityId: string): void {
    this.pop(entityId, this.undoStacks, this.redoStacks, (store) => store.history.undo())
  }

  redo(entityId: string): void {
    this.pop(entityId, this.redoStacks, this.undoStacks, (store) => store.history.redo())
  }

  destroy(): void {
    this.stops.forEach((s) => s())
    this.stops = []
  }

  /**
   * Every list's steps of the group are the top of its stack, nothing of this member's between
   * them: in the order written on the undo stack, reversed on the redo stack (undo pushed them so).
   */
  private onTop(group: readonly LinkedStep[], from: Map<string, number[]>): boolean {
    const perList = new Map<string, number[]>()
    for (const s of group) stackOf(perList, s.entityId).push(s.step)
    for (const [entityId, steps] of perList) {
      const stack = from.get(entityId) ?? []
      if (!this.stores.has(entityId) || stack.length < steps.length) return false
      const top = stack.slice(stack.length - steps.length)
      if (from !== this.undoStacks) top.reverse()
      if (!top.every((step, i) => step === steps[i])) return false
    }
    return true
  }

  private pop(entityId: string, from: Map<string, number[]>, to: Map<string, number[]>, perform: (store: EntityStore) => boolean): void {
    const top = from.get(entityId)?.at(-1)
    const group = top === undefined ? undefined : this.groups.get(top)
    const whole = group !== undefined && this.onTop(group, from)
    // the lead's own step last on undo (its rules' writes first), first on redo
    const steps = whole ? (from === this.undoStacks ? [...group!].reverse() : group!) : [{ entityId, step: top }]
    for (const s of steps) {
      const store = this.stores.get(s.entityId)
      if (!store) continue
      const stack = stackOf(from, s.entityId)
      if (perform(store)) {
        const moved = stack.pop()
        if (moved !== undefined) stackOf(to, s.entityId).push(moved)
      } else {
        // the history had nothing left: neither has its mirror
        for (const gone of stack.splice(0)) this.groups.delete(gone)
      }
    }
  }
}

function stackOf(stacks: Map<string, number[]>, entityId: string): number[] {
  let stack = stacks.get(entityId)
  if (!stack) stacks.set(entityId, (stack = []))
  return stack
}
