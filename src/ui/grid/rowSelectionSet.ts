/**
 * The rows a person ticked, by id. The grid only holds the rows near the viewport, so the
 * selection lives here: "select all" ticks every row of the current view, loaded or not.
 */
export class RowSelectionSet {
  private ids = new Set<string>()
  private listeners = new Set<() => void>()

  has(id: string): boolean {
    return this.ids.has(id)
  }

  get size(): number {
    return this.ids.size
  }

  set(id: string, selected: boolean): void {
    if (selected === this.ids.has(id)) return
    if (selected) this.ids.add(id)
    else this.ids.delete(id)
    this.emit()
  }

  /** Ticks exactly these rows (select all), or none. */
  replace(ids: Iterable<string>): void {
    this.ids = new Set(ids)
    this.emit()
  }

  /** Drops rows that are gone (deleted here or by a teammate). */
  forget(ids: Iterable<string>): void {
    let changed = false
    for (const id of ids) changed = this.ids.delete(id) || changed
    if (changed) this.emit()
  }

  /** The ticked rows in the order of `view`, then any ticked row the view does not show. */
  ordered(view: readonly string[]): string[] {
    const inView = view.filter((id) => this.ids.has(id))
    if (inView.length === this.ids.size) return inView
    const shown = new Set(inView)
    return [...inView, ...[...this.ids].filter((id) => !shown.has(id))]
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const l of this.listeners) l()
  }
}
