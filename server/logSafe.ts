/**
 * Text that came from outside (request paths, document names, member names) made safe to put in
 * a log line: what could forge a line or drive a terminal — newlines and other control
 * characters (ANSI escapes start with one), quotes, backslashes, Unicode line separators and
 * bidirectional overrides, lone surrogates — is written as an escape, so the text stays on its
 * line and ends where its quotes end. Longer text is cut after `maxChars` code points.
 */
export function logSafe(text: string, maxChars = 200): string {
  let out = ''
  let count = 0
  for (const char of text) {
    if (count === maxChars) return `${out}…(+${[...text].length - maxChars} chars)`
    out += escapeChar(char)
    count++
  }
  return out
}

/** A request target as logged: its path only (query strings carry tokens), escaped. */
export function logSafePath(url: string | undefined): string {
  const path = (url ?? '').split(/[?#]/, 1)[0] ?? ''
  return logSafe(path)
}

const NAMED: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** C0 and C1 controls, DEL, line/paragraph separators, bidi marks, embeddings and isolates, lone surrogates. */
function isUnsafe(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0x200e || code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || (code >= 0xd800 && code <= 0xdfff)
}

function escapeChar(char: string): string {
  const named = NAMED[char]
  if (named) return named
  // a pair of surrogates is one character here (an emoji): only a lone one has length 1
  const code = char.charCodeAt(0)
  if (char.length > 1 || !isUnsafe(code)) return char
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}
