import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import * as decoding from 'lib0/decoding'

/** A document row with the seq the relay gave it. */
export interface SeqRow {
  name: string
  seq: number
  update: Uint8Array
}

/** Sealed log files: the rows of one batch that is written into SQLite as one transaction. */
export interface LogFile {
  /** Usually one file; more when a failed write forced a new one. */
  paths: string[]
  rows: SeqRow[]
  bytes: number
}

const HEADER_BYTES = 8

/** The log files that belong to the SQLite file `dbFile`, oldest first. */
export function logFiles(dbFile: string): string[] {
  const prefix = `${basename(dbFile)}-updates-`
  let names: string[]
  try {
    names = readdirSync(dirname(dbFile))
  } catch {
    return []
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((name) => join(dirname(dbFile), name))
}

/**
 * Encodes records into one buffer kept for the next: the relay appends a record for every
 * batch of edits it receives, and a fresh buffer for each (an ArrayBuffer the young
 * generation's collection must sweep) was garbage once the write returned. Layout per record: payload length
 * and CRC-32 (uint32 LE), then count, and per row name (var string), seq, update (var bytes),
 * as lib0's encoding writes them (decodeLog reads them with lib0).
 */
class RecordEncoder {
  private buffer = Buffer.allocUnsafeSlow(16 * 1024)
  private at = 0

  /** The record of `rows`, valid until the next call. */
  encode(rows: readonly SeqRow[]): Uint8Array {
    let size = HEADER_BYTES + 10
    for (const row of rows) size += 30 + Buffer.byteLength(row.name) + row.update.byteLength
    if (size > this.buffer.byteLength) this.buffer = Buffer.allocUnsafeSlow(Math.max(size, this.buffer.byteLength * 2))
    const buffer = this.buffer
    this.at = HEADER_BYTES
    this.varUint(rows.length)
    for (const row of rows) {
      const nameBytes = Buffer.byteLength(row.name)
      this.varUint(nameBytes)
      this.at += buffer.write(row.name, this.at, 'utf8')
      this.varUint(row.seq)
      this.varUint(row.update.byteLength)
      buffer.set(row.update, this.at)
      this.at += row.update.byteLength
    }
    buffer.writeUInt32LE(this.at - HEADER_BYTES, 0)
    buffer.writeUInt32LE(crc32(buffer.subarray(HEADER_BYTES, this.at)), 4)
    return buffer.subarray(0, this.at)
  }

  private varUint(value: number): void {
    const buffer = this.buffer
    while (value > 0x7f) {
      buffer[this.at++] = 0x80 | (value & 0x7f)
      value = Math.floor(value / 128)
    }
    buffer[this.at++] = value
  }
}

/** The rows of every whole record in `bytes`; stops at the first torn or damaged one (the end of a crashed write). */
export function decodeLog(bytes: Uint8Array): SeqRow[] {
  const rows: SeqRow[] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  while (at + HEADER_BYTES <= bytes.byteLength) {
    const length = view.getUint32(at, true)
    const end = at + HEADER_BYTES + length
    if (end > bytes.byteLength) break
    const payload = bytes.subarray(at + HEADER_BYTES, end)
    if (crc32(payload) !== view.getUint32(at + 4, true)) break
    const decoder = decoding.createDecoder(payload)
    const batch: SeqRow[] = []
    try {
      for (let count = decoding.readVarUint(decoder); count > 0; count--) {
        const name = decoding.readVarString(decoder)
        const seq = decoding.readVarUint(decoder)
        batch.push({ name, seq, update: decoding.readVarUint8Array(decoder).slice() })
      }
    } catch {
      break
    }
    rows.push(...batch)
    at = end
  }
  return rows
}

/** The rows of sealed log files, in the order they were appended (the writer thread's fold). */
export function readLogFiles(paths: readonly string[]): SeqRow[] {
  const rows: SeqRow[] = []
  for (const path of paths) for (const row of decodeLog(readFileSync(path))) rows.push(row)
  return rows
}

/**
 * Reads the rows the log files of `dbFile` hold (left by a relay that stopped before writing
 * them into SQLite), hands them to `store`, then deletes the files. Idempotent: `store` must
 * skip rows it already has.
 */
export function recoverUpdateLog(dbFile: string, store: (rows: SeqRow[]) => void): number {
  let recovered = 0
  for (const path of logFiles(dbFile)) {
    const rows = readLogFiles([path])
    if (rows.length > 0) store(rows)
    recovered += rows.length
    unlinkSync(path)
  }
  return recovered
}

/**
 * The relay's write-ahead log of small document updates, in front of SQLite. An update is
 * durable once `append` returns: the bytes are in the kernel (one `write`, no fsync — the same
 * promise as SQLite's WAL with synchronous=NORMAL: it survives the process being killed, a power
 * cut may lose the last writes). That costs a few microseconds where a SQLite commit costs
 * 25–60 µs (locks, WAL frames of whole 4 KiB pages), so the event loop forwards sooner. The rows
 * are written into SQLite later, many per transaction, by the writer thread: each file is the
 * rows of one such transaction (`seal`), deleted once they are in SQLite
 * (`recoverUpdateLog` replays whatever a crash left).
 */
export class UpdateLog {
  private fd: number | null = null
  /** Files written since the last seal; the last one is open while fd is set. */
  private paths: string[] = []
  private offset = 0
  private rows: SeqRow[] = []
  private bytes = 0
  private next: number
  private readonly encoder = new RecordEncoder()

  constructor(private readonly dbFile: string) {
    const existing = logFiles(dbFile)
    const prefixLength = `${basename(dbFile)}-updates-`.length
    this.next = existing.length > 0 ? Number(basename(existing.at(-1) as string).slice(prefixLength)) + 1 : 1
  }

  /** Rows appended since the last `seal`. */
  get pendingBytes(): number {
    return this.bytes
  }

  /** Appends the rows as one record; durable when it returns. On failure nothing is kept. */
  append(rows: SeqRow[]): void {
    const record = this.encoder.encode(rows)
    if (this.fd === null) {
      const path = `${this.dbFile}-updates-${this.next++}`
      this.fd = openSync(path, 'a')
      this.paths.push(path)
      this.offset = 0
    }
    try {
      let written = 0
      while (written < record.byteLength) written += writeSync(this.fd, record, written)
    } catch (error) {
      // Leave no torn record in front of the next one.
      try {
        ftruncateSync(this.fd, this.offset)
      } catch {
        // Cannot cut it off: keep the file as it is (a replay stops at the torn record) and
        // write the next records to a new one.
        closeSync(this.fd)
        this.fd = null
      }
      throw error
    }
    this.offset += record.byteLength
    this.rows.push(...rows)
    this.bytes += record.byteLength
  }

  /** Closes the current file and returns it with its rows (null when nothing was appended); later appends go to a new file. */
  seal(): LogFile | null {
    if (this.rows.length === 0) return null
    if (this.fd !== null) closeSync(this.fd)
    const file: LogFile = { paths: this.paths, rows: this.rows, bytes: this.bytes }
    this.fd = null
    this.paths = []
    this.rows = []
    this.bytes = 0
    this.offset = 0
    return file
  }

  /** Deletes sealed files whose rows are in SQLite. */
  remove(file: LogFile): void {
    for (const path of file.paths) unlinkSync(path)
  }

  /** Closes the current file; files with rows stay on disk (the next start replays them). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    if (this.rows.length === 0) for (const path of this.paths) unlinkSync(path)
    this.fd = null
    this.paths = []
    this.rows = []
    this.bytes = 0
  }
}
