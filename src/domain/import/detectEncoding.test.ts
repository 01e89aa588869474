import { describe, expect, it } from 'vitest'
import { detectEncoding } from './detectEncoding'

const utf16le = (text: string) => Buffer.from(text, 'utf16le')
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16()
// 'Привет,Мир' in windows-1251
const CP1251 = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0xcc, 0xe8, 0xf0]
// 'テスト,東京' in Shift_JIS
const SJIS = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x2c, 0x93, 0x8c, 0x8b, 0x9e]

describe('detectEncoding', () => {
  it('reads byte order marks', () => {
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bomLength: 3 })
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 })
    expect(detectEncoding(new Uint8Array([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: 'utf-16be', bomLength: 2 })
  })

  it('tells UTF-16 without a mark by its zero bytes', () => {
    expect(detectEncoding(utf16le('name,email\nAnna,a@x.io')).encoding).toBe('utf-16le')
    expect(detectEncoding(utf16be('name,email\nAnna,a@x.io')).encoding).toBe('utf-16be')
  })

  it('takes valid UTF-8, also cut inside a character at the sample end', () => {
    expect(detectEncoding(new TextEncoder().encode('Имя;Почта\nJosé;テスト')).encoding).toBe('utf-8')
    expect(detectEncoding(new TextEncoder().encode('Имя').slice(0, 5)).encoding).toBe('utf-8')
  })

  it('tells Windows-1251 from Shift_JIS by plausibility', () => {
    expect(detectEncoding(new Uint8Array(CP1251)).encoding).toBe('windows-1251')
    expect(detectEncoding(new Uint8Array(SJIS)).encoding).toBe('shift_jis')
    expect(new TextDecoder('windows-1251').decode(new Uint8Array(CP1251))).toBe('Привет,Мир')
    expect(new TextDecoder('shift_jis').decode(new Uint8Array(SJIS))).toBe('テスト,東京')
  })

  it('reads longer Russian text in 1251 as 1251, not as Shift_JIS pairs', () => {
    const text = 'Иванов Пётр Сергеевич, ООО Ромашка, Москва, улица Тверская'
    const bytes = new Uint8Array([...text].map((c) => new TextEncoder().encode(c).length === 1 ? c.charCodeAt(0) : windows1251(c)))
    expect(new TextDecoder('windows-1251').decode(bytes)).toBe(text)
    expect(detectEncoding(bytes).encoding).toBe('windows-1251')
  })
})

/** The 1251 byte of a Cyrillic letter: А–я are 0xC0–0xFF in order, Ё/ё 0xA8/0xB8. */
function windows1251(c: string): number {
  if (c === 'Ё') return 0xa8
  if (c === 'ё') return 0xb8
  return 0xc0 + c.charCodeAt(0) - 'А'.charCodeAt(0)
}
