import { matchKey } from './normalizeSpaces'

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'x', 'on', '✓', '✔', '☑', 'ja', 'j', 'wahr', 'checked'])
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'nein', 'falsch', '✗', '✘', '☐', 'unchecked'])

/** yes/no, true/false, y/n, 1/0, x, on/off, ✓, ja/nein → boolean; anything else undefined. */
export function parseCheckboxText(text: string): boolean | undefined {
  const key = matchKey(text)
  if (TRUE_WORDS.has(key)) return true
  if (FALSE_WORDS.has(key)) return false
  return undefined
}
