import { matchKey } from './normalizeSpaces'

/**
 * The choices a typed filter keeps, best first: the whole name, then names starting with the
 * text, then a word of the name starting with it, then the text anywhere; within a rank the
 * choices keep their own order (an option list's order is the admin's). Case, width and spacing
 * are ignored. An empty filter keeps every choice in order.
 */
export function rankChoices<T>(choices: readonly T[], query: string, textOf: (choice: T) => string): T[] {
  const q = matchKey(query)
  if (!q) return [...choices]
  const ranked: { choice: T; rank: number; index: number }[] = []
  choices.forEach((choice, index) => {
    const rank = rankOf(matchKey(textOf(choice)), q)
    if (rank >= 0) ranked.push({ choice, rank, index })
  })
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.choice)
}

function rankOf(text: string, q: string): number {
  if (text === q) return 0
  if (text.startsWith(q)) return 1
  if (text.split(/[\s\-_/.,;:()&]+/).some((word) => word.startsWith(q))) return 2
  return text.includes(q) ? 3 : -1
}
