import { describe, expect, it } from 'vitest'
import { logSafe, logSafePath } from './logSafe'

describe('logSafe', () => {
  it('keeps ordinary text, spaces and non-Latin letters as they are', () => {
    expect(logSafe('entity-contacts')).toBe('entity-contacts')
    expect(logSafe('Zoë Müller — 山田 🙂')).toBe('Zoë Müller — 山田 🙂')
  })

  it('escapes newlines, so client text cannot start a forged log line', () => {
    const forged = 'x"\nKanso relay listening on http://evil'
    const safe = logSafe(forged)
    expect(safe).toBe('x\\"\\nKanso relay listening on http://evil')
    expect(safe).not.toMatch(/[\r\n]/)
  })

  it('escapes quotes and backslashes, so quoted text ends where its quotes end', () => {
    expect(logSafe('a"b\\c')).toBe('a\\"b\\\\c')
  })

  it('escapes ANSI escapes and every other C0, DEL and C1 control character', () => {
    expect(logSafe('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m')
    expect(logSafe('\u0000\u0007\u0008\r\t\u007f\u0085\u009b')).toBe('\\x00\\x07\\x08\\r\\t\\x7f\\x85\\x9b')
  })

  it('escapes Unicode line separators, bidi overrides and lone surrogates', () => {
    expect(logSafe('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c')
    expect(logSafe('user\u202Etxt.exe\u2066\u200f')).toBe('user\\u202etxt.exe\\u2066\\u200f')
    expect(logSafe('\ud800x\udfff')).toBe('\\ud800x\\udfff')
  })

  it('cuts long text after maxChars code points, saying how much was left out', () => {
    expect(logSafe('a'.repeat(300))).toBe(`${'a'.repeat(200)}…(+100 chars)`)
    expect(logSafe('🙂🙂🙂', 2)).toBe('🙂🙂…(+1 chars)')
  })
})

describe('logSafePath', () => {
  it('drops the query string and fragment (tokens travel there) and escapes the path', () => {
    expect(logSafePath('/api/snapshots/%E0%A4%A?token=secret-token')).toBe('/api/snapshots/%E0%A4%A')
    expect(logSafePath('/sync/x#frag?token=t')).toBe('/sync/x')
    expect(logSafePath('/a\u001b[2Jb?x')).toBe('/a\\x1b[2Jb')
    expect(logSafePath(undefined)).toBe('')
  })
})
