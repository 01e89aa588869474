import { matchKey } from './normalizeSpaces'

/** Why an option could not be added or renamed, in words for the person who tried. */
export class OptionEditError extends Error {}

export const OPTION_MAX_LENGTH = 80

function cleanLabel(label: string, options: readonly string[], except?: string): string {
  const clean = label.trim().replace(/\s+/g, ' ')
  if (!clean) throw new OptionEditError('An option needs a name')
  if (clean.length > OPTION_MAX_LENGTH) throw new OptionEditError(`An option can have at most ${OPTION_MAX_LENGTH} characters`)
  const key = matchKey(clean)
  const twin = options.find((o) => o !== except && matchKey(o) === key)
  // the parser matches options ignoring case and spacing: two such options could not be told apart
  if (twin !== undefined) throw new OptionEditError(`There is already an option “${twin}”`)
  return clean
}

/** The options with `label` added at the end. */
export function addOption(options: readonly string[], label: string): string[] {
  return [...options, cleanLabel(label, options)]
}

/** The options with `from` renamed in place; the new name is returned too (trimmed). */
export function renameOption(options: readonly string[], from: string, to: string): { options: string[]; label: string } {
  const index = options.indexOf(from)
  if (index < 0) throw new OptionEditError(`There is no option “${from}” any more`)
  const label = cleanLabel(to, options, from)
  const next = [...options]
  next[index] = label
  return { options: next, label }
}

/** The options with `label` moved `by` places (−1 up, +1 down), kept within the list. */
export function moveOption(options: readonly string[], label: string, by: number): string[] {
  const from = options.indexOf(label)
  if (from < 0) throw new OptionEditError(`There is no option “${label}” any more`)
  const to = Math.max(0, Math.min(options.length - 1, from + by))
  const next = [...options]
  next.splice(from, 1)
  next.splice(to, 0, label)
  return next
}
