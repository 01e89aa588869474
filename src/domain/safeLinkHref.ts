// callto: is Skype's and many softphones' scheme; a member may choose it for phone links (issue 13)
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:', 'sip:', 'sips:', 'callto:'])

/**
 * The href to render for a stored link value, or null to show it as text. Stored values come
 * from anyone with write access (a stock Yjs client skips the input checks), so this reads
 * them the way the browser will: with the platform's URL parser, which drops tabs and newlines
 * anywhere and spaces or control characters around the value and ignores case — so
 * `java\tscript:`, ` JAVASCRIPT:` and the like are seen for what they are. Relative values
 * (`//evil.example`, `/path`) have no scheme and are refused too.
 */
export function safeLinkHref(value: string): string | null {
  if (!URL.canParse(value)) return null
  const url = new URL(value)
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : null
}
