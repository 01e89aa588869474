/**
 * The colours a select option may have: names of a fixed palette, never CSS. The cell draws a
 * chip with the class `kanso-chip-<name>` (styles.css), so a stored value can only pick one of
 * these readable pairs of background and text colour.
 */
export const OPTION_COLORS = ['gray', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const
export type OptionColor = (typeof OPTION_COLORS)[number]

export function isOptionColor(value: unknown): value is OptionColor {
  return typeof value === 'string' && (OPTION_COLORS as readonly string[]).includes(value)
}

/** An option's colour from a field's `optionColors`; anything else (unset, a stray string) draws as gray. */
export function optionColorOf(colors: Readonly<Record<string, unknown>> | undefined, option: string): OptionColor {
  const color = colors?.[option]
  return isOptionColor(color) ? color : 'gray'
}
