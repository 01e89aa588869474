/** The encodings an imported CSV may be in; each a TextDecoder label that Node 20 and browsers both know. */
export type ImportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'shift_jis'

export interface DetectedEncoding {
  encoding: ImportEncoding
  /** Bytes of a byte order mark to leave out before decoding. */
  bomLength: number
}

/**
 * Reads a file's encoding from its first bytes (a sample of a few kilobytes is enough): a byte
 * order mark when there is one; UTF-16 without one by its zero bytes (ASCII text in UTF-16 has a
 * zero in every other byte, on the even side for big-endian); else UTF-8 when the bytes are valid
 * UTF-8; else whichever of Windows-1251 and Shift_JIS reads more plausibly — Shift_JIS only when
 * every high byte pairs into a valid two-byte character and the pairs are mostly kana or kanji,
 * since Cyrillic text in 1251 also pairs up now and then.
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 }
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 }
  const utf16 = utf16ByZeros(sample)
  if (utf16) return { encoding: utf16, bomLength: 0 }
  if (isUtf8(sample)) return { encoding: 'utf-8', bomLength: 0 }
  return { encoding: shiftJisScore(sample) > 0.6 ? 'shift_jis' : 'windows-1251', bomLength: 0 }
}

function utf16ByZeros(sample: Uint8Array): ImportEncoding | null {
  const length = sample.length - (sample.length % 2)
  if (length < 2) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) evenZeros++
    if (sample[i + 1] === 0) oddZeros++
  }
  const pairs = length / 2
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le'
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be'
  return null
}

/** Valid UTF-8, allowing the sample to end inside a character. */
function isUtf8(bytes: Uint8Array): boolean {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) { i++; continue }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (extra < 0) return false
    for (let k = 1; k <= extra; k++) {
      if (i + k >= bytes.length) return true
      if ((bytes[i + k]! & 0xc0) !== 0x80) return false
    }
    i += extra + 1
  }
  return true
}

/** Share of high bytes that read as Shift_JIS kana or kanji; 0 as soon as one cannot be Shift_JIS. */
function shiftJisScore(bytes: Uint8Array): number {
  let high = 0
  let japanese = 0
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) { i++; continue }
    // half-width katakana, rare in real text but the range of capital Cyrillic in 1251: counted, not as Japanese
    if (b >= 0xa1 && b <= 0xdf) { high++; i++; continue }
    // leads above 0xef are vendor extensions; in 1251 they are common small letters (р с т у …)
    const lead = (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xef)
    if (!lead) return 0
    if (i + 1 >= bytes.length) break
    const trail = bytes[i + 1]!
    if (trail < 0x40 || trail === 0x7f || trail > 0xfc) return 0
    high += 2
    // 0x82: hiragana, 0x83: katakana, 0x88–0x9f and 0xe0–0xea: kanji
    if (b === 0x82 || b === 0x83 || (b >= 0x88 && b <= 0x9f) || (b >= 0xe0 && b <= 0xea)) japanese += 2
    i += 2
  }
  return high === 0 ? 0 : japanese / high
}
