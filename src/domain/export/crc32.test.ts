import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { Crc32 } from './crc32'

describe('Crc32', () => {
  it('is the ZIP checksum, fed in pieces', () => {
    const bytes = new TextEncoder().encode('<row r="1"><c r="A1" t="inlineStr"><is><t>Ünïcödé ✓</t></is></c></row>'.repeat(50))
    const crc = new Crc32()
    crc.update(bytes.subarray(0, 77))
    crc.update(bytes.subarray(77))
    expect(crc.value).toBe(crc32(bytes) >>> 0)
    expect(new Crc32().value).toBe(0)
  })
})
