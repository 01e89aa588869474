/*
 * Keyboard moves on the board, for people who don't drag: arrows move the focus between cards,
 * Shift+←/→ moves the focused card to the previous or next stage.
 */

/** Where the focus is: a column and a card's position in it. */
export interface BoardPosition { column: number; index: number }

export type BoardKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End'

/**
 * The card the focus goes to on an arrow key, given each column's card count: up and down within
 * the column, left and right to the nearest column that has cards, at the same position or its
 * last card. Undefined: nowhere to go (the focus stays).
 */
export function focusTarget(counts: readonly number[], from: BoardPosition, key: BoardKey): BoardPosition | undefined {
  const count = counts[from.column] ?? 0
  switch (key) {
    case 'ArrowUp': return from.index > 0 ? { column: from.column, index: from.index - 1 } : undefined
    case 'ArrowDown': return from.index < count - 1 ? { column: from.column, index: from.index + 1 } : undefined
    case 'Home': return count ? { column: from.column, index: 0 } : undefined
    case 'End': return count ? { column: from.column, index: count - 1 } : undefined
    case 'ArrowLeft':
    case 'ArrowRight': {
      const step = key === 'ArrowLeft' ? -1 : 1
      for (let c = from.column + step; c >= 0 && c < counts.length; c += step) {
        const n = counts[c]!
        if (n > 0) return { column: c, index: Math.min(from.index, n - 1) }
      }
      return undefined
    }
  }
}

/** The stage a card moves to with Shift+←/→: the previous or next stage, none past either end. */
export function moveTarget<T>(stages: readonly T[], from: number, direction: -1 | 1): T | undefined {
  const to = from + direction
  return from >= 0 && to >= 0 && to < stages.length ? stages[to] : undefined
}

/**
 * The cards of a column to render: those in view at `scrollTop` plus `overscan` either side, for
 * cards of a fixed height (a column of 20k deals renders a few dozen).
 */
export function visibleWindow(scrollTop: number, viewHeight: number, cardHeight: number, count: number, overscan = 4): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / cardHeight)
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewHeight)) / cardHeight)
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) }
}
