// Bidi marks appear in Intl output for RTL locales (ar: "27‏/11‏/2026"); they are invisible when pasted.
const BIDI_MARKS = /[\u200e\u200f\u061c\u2066-\u2069]/g
const UNICODE_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]/g

/** Pasted text → plain ASCII spaces, no bidi marks, trimmed, runs of spaces collapsed. */
export function normalizeSpaces(text: string): string {
  return text.replace(BIDI_MARKS, '').replace(UNICODE_SPACES, ' ').replace(/ {2,}/g, ' ').trim()
}

/** Comparison key for names and options: case-, width- and spacing-insensitive. */
export function matchKey(text: string): string {
  return normalizeSpaces(text.normalize('NFKC')).toLowerCase()
}
