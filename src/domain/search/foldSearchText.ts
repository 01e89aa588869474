/** Letters that keep no accent to strip under NFKD but are typed plainly ("Straße" is found by "strasse"). */
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' }
const SPECIAL = /[ßæœøłđðþı]/g
const PLAIN = /^[\x20-\x7e]*$/
const MARKS = /\p{M}+/gu
// control characters (the index's separators among them) read as spaces
// eslint-disable-next-line no-control-regex -- the control characters are what it finds
const CONTROLS = /[\u0000-\u001f\u007f]/g
const UNEVEN_SPACES = /\s{2,}|[^\S ]|^\s|\s$/

/**
 * The form search compares: lower case, accents and compatibility forms folded ("Zoé" → "zoe",
 * "ｆｕｌｌ" → "full"), spaces collapsed and trimmed. The index folds every value once and each
 * query once, so both sides meet whatever the writer typed. Plain ASCII (most values) skips
 * Unicode normalisation: folding 100k records costs tens of milliseconds, not hundreds.
 */
export function foldSearchText(text: string): string {
  let folded = text
  if (!PLAIN.test(folded)) {
    folded = folded.normalize('NFKD').replace(MARKS, '').replace(CONTROLS, ' ').toLowerCase().replace(SPECIAL, (c) => LETTERS[c] ?? c)
  } else {
    folded = folded.toLowerCase()
  }
  return UNEVEN_SPACES.test(folded) ? folded.replace(/\s+/g, ' ').trim() : folded
}

const ASCII_WORD = new Uint8Array(128)
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

/** Whether the folded text's character code is part of a word (a letter or a digit): words start after any other. */
export function isWordCode(code: number): boolean {
  return code < 128 ? ASCII_WORD[code] === 1 : LETTER_OR_DIGIT.test(String.fromCharCode(code))
}
