import { matchKey } from './normalizeSpaces'

/** The option the text names, in the option's own spelling; case and spacing are ignored. */
export function matchOption(options: readonly string[], text: string): string | undefined {
  const key = matchKey(text)
  return options.find((o) => matchKey(o) === key)
}

/**
 * Splits a typed list of options on `,` or `;`. Options that themselves contain a comma
 * ("Smith, Jones & Co") are matched whole first, longest first, so they survive the split.
 * Returns the options in typed order without duplicates, and the parts that named no option.
 */
export function splitOptions(options: readonly string[], input: string): { matched: string[]; unknown: string[] } {
  const byLength = [...options].sort((a, b) => b.length - a.length)
  const matched: string[] = []
  const unknown: string[] = []
  let rest = input
  while ((rest = rest.replace(/^[\s,;]+/, '')) !== '') {
    const lower = rest.toLowerCase()
    const whole = byLength.find((o) => {
      const key = o.toLowerCase()
      return lower.startsWith(key) && /^\s*(?:[,;]|$)/.test(rest.slice(key.length))
    })
    const part = whole ?? rest.split(/[,;]/, 1)[0] ?? ''
    rest = rest.slice(part.length)
    const option = whole ?? matchOption(options, part)
    if (option === undefined) unknown.push(part.trim())
    else if (!matched.includes(option)) matched.push(option)
  }
  return { matched, unknown }
}
