/*
 * CRC-32 (ISO-HDLC, the ZIP one), fed in pieces: the XLSX writer needs the checksum of a sheet it
 * compresses elsewhere (node:zlib on the relay), and the browser has no CRC of its own.
 */

const TABLE = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

export class Crc32 {
  private crc = -1

  update(bytes: Uint8Array): void {
    let c = this.crc
    for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
    this.crc = c
  }

  get value(): number {
    return ~this.crc >>> 0
  }
}
