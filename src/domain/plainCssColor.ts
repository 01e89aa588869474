const HEX = /^#[0-9a-f]{6}$/i
// hsl(210, 40%, 50%) or hsl(210 40% 50%): numbers only, so nothing like url(…), var(…) or a `;`
const HSL = /^hsl\(\s*\d{1,3}(?:\.\d+)?(?:deg)?\s*(?:,\s*|\s+)\d{1,3}(?:\.\d+)?%\s*(?:,\s*|\s+)\d{1,3}(?:\.\d+)?%\s*\)$/i

/**
 * Whether `value` is a colour safe to put into CSS: `#rrggbb` or `hsl(h, s%, l%)`. A teammate's
 * colour arrives over the network; anything else (`url(…)`, `red;background:…`, `expression(…)`)
 * could make the browser fetch a URL or restyle the page.
 */
export function isPlainCssColor(value: unknown): value is string {
  return typeof value === 'string' && (HEX.test(value) || HSL.test(value))
}
