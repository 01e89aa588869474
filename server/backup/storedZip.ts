import { crc32 } from 'node:zlib'

/*
 * A ZIP archive of stored (uncompressed) files, written as it goes: each file's local header and
 * bytes, then the central directory and its end record (APPNOTE 6.3.x, without ZIP64: under 65,535
 * files and 4 GiB, which a workspace export stays far below; past that it throws). Names are UTF-8
 * (flag bit 11). CRC-32 from node:zlib. Every unzip tool and spreadsheet opens it.
 */

const LOCAL_HEADER = 0x04034b50
const CENTRAL_HEADER = 0x02014b50
const END_OF_CENTRAL = 0x06054b50
const UTF8_NAMES = 0x0800
const MAX_U32 = 0xffffffff

/** DOS date and time of `at` (local fields read as UTC: the archive has no zone). */
function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.max(1980, at.getUTCFullYear())
  return {
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  }
}

interface Entry { name: Buffer; crc: number; size: number; offset: number }

export class StoredZip {
  private readonly entries: Entry[] = []
  private offset = 0
  private readonly stamp: { date: number; time: number }

  /** `write` gets the archive's bytes in order; a returned promise holds the next write back (backpressure). */
  constructor(private readonly write: (chunk: Buffer) => void | Promise<void>, at = new Date()) {
    this.stamp = dosDateTime(at)
  }

  async add(fileName: string, data: Buffer): Promise<void> {
    if (this.entries.length >= 0xffff) throw new RangeError('a ZIP without ZIP64 holds at most 65,535 files')
    if (data.length > MAX_U32 || this.offset + data.length > MAX_U32) throw new RangeError('a ZIP without ZIP64 holds at most 4 GiB')
    const name = Buffer.from(fileName, 'utf8')
    const entry: Entry = { name, crc: crc32(data) >>> 0, size: data.length, offset: this.offset }
    const header = Buffer.alloc(30)
    header.writeUInt32LE(LOCAL_HEADER, 0)
    header.writeUInt16LE(10, 4) // version needed: 1.0, stored
    header.writeUInt16LE(UTF8_NAMES, 6)
    header.writeUInt16LE(0, 8) // method: stored
    header.writeUInt16LE(this.stamp.time, 10)
    header.writeUInt16LE(this.stamp.date, 12)
    header.writeUInt32LE(entry.crc, 14)
    header.writeUInt32LE(entry.size, 18)
    header.writeUInt32LE(entry.size, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(0, 28)
    this.entries.push(entry)
    await this.emit(Buffer.concat([header, name]))
    await this.emit(data)
  }

  /** Writes the central directory and the end record; add nothing after. */
  async finish(): Promise<void> {
    const start = this.offset
    for (const e of this.entries) {
      const header = Buffer.alloc(46)
      header.writeUInt32LE(CENTRAL_HEADER, 0)
      header.writeUInt16LE(0x0314, 4) // made by: Unix, 2.0
      header.writeUInt16LE(10, 6)
      header.writeUInt16LE(UTF8_NAMES, 8)
      header.writeUInt16LE(0, 10)
      header.writeUInt16LE(this.stamp.time, 12)
      header.writeUInt16LE(this.stamp.date, 14)
      header.writeUInt32LE(e.crc, 16)
      header.writeUInt32LE(e.size, 20)
      header.writeUInt32LE(e.size, 24)
      header.writeUInt16LE(e.name.length, 28)
      // extra, comment, disk, internal attributes: 0
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38) // external attributes: a regular file, rw-r--r--
      header.writeUInt32LE(e.offset, 42)
      await this.emit(Buffer.concat([header, e.name]))
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(END_OF_CENTRAL, 0)
    end.writeUInt16LE(this.entries.length, 8)
    end.writeUInt16LE(this.entries.length, 10)
    end.writeUInt32LE(this.offset - start, 12)
    end.writeUInt32LE(start, 16)
    await this.emit(end)
  }

  private async emit(chunk: Buffer): Promise<void> {
    this.offset += chunk.length
    await this.write(chunk)
  }
}
