import type { FieldDef } from '../../domain/schema'

// Everything in a header besides its label (see fieldHeader.ts and styles.css): the cell's
// padding (2 × 8), the type glyph (14), three gaps (3 × 4), the sort arrow (10), the menu
// button (12) and the resize handle's slack (4).
const HEADER_CHROME = 16 + 14 + 12 + 10 + 12 + 4
// A label longer than this is cut with an ellipsis rather than taking half the screen.
const MAX_HEADER_WIDTH = 320

let measure: CanvasRenderingContext2D | null | undefined

/** The label's width in the header's font (13px, weight 600), measured once per label. */
function labelWidth(label: string): number {
  if (measure === undefined) {
    measure = document.createElement('canvas').getContext('2d')
    if (measure) measure.font = `600 13px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`
  }
  // without a 2D canvas (never in a browser here): a generous 8 px a character
  return Math.ceil(measure ? measure.measureText(label).width : label.length * 8)
}

/** A column wide enough for its whole header, and at least as wide as its type needs for values. */
export function headerWidth(field: FieldDef, typeWidth: number): number {
  return Math.max(typeWidth, Math.min(MAX_HEADER_WIDTH, labelWidth(field.label) + HEADER_CHROME))
}
