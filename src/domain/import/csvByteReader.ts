import { CsvRowReader } from './csvRowReader'
import type { CsvDelimiter } from './detectDelimiter'
import { detectEncoding, type ImportEncoding } from './detectEncoding'
import type { ImportRow } from './importRow'

/** Bytes read before the encoding is chosen. */
const ENCODING_SAMPLE_BYTES = 64 * 1024

/**
 * A CSV file read from its bytes in pieces (a request body, a File's stream): the encoding is
 * detected from the first 64 KiB (detectEncoding), then each piece is decoded with a streaming
 * TextDecoder — a character split between pieces is not broken — and handed to CsvRowReader.
 */
export class CsvByteReader {
  private sample: Uint8Array[] = []
  private sampleBytes = 0
  private decoder: TextDecoder | null = null
  private encodingUsed: ImportEncoding | null = null
  private readonly rows: CsvRowReader

  constructor(delimiter?: CsvDelimiter) {
    this.rows = new CsvRowReader(delimiter)
  }

  get encoding(): ImportEncoding | null {
    return this.encodingUsed
  }

  get delimiter(): CsvDelimiter | null {
    return this.rows.chosenDelimiter
  }

  push(bytes: Uint8Array): ImportRow[] {
    if (this.decoder) return this.rows.push(this.decoder.decode(bytes, { stream: true }))
    this.sample.push(bytes)
    this.sampleBytes += bytes.length
    return this.sampleBytes < ENCODING_SAMPLE_BYTES ? [] : this.start()
  }

  end(): ImportRow[] {
    const rows = this.decoder ? [] : this.start()
    rows.push(...this.rows.push(this.decoder!.decode()), ...this.rows.end())
    return rows
  }

  private start(): ImportRow[] {
    const sample = concat(this.sample)
    this.sample = []
    const { encoding } = detectEncoding(sample)
    this.encodingUsed = encoding
    // the default ignoreBOM: false drops the encoding's own byte order mark
    this.decoder = new TextDecoder(encoding)
    return this.rows.push(this.decoder.decode(sample, { stream: true }))
  }
}

/** A whole file's rows (tests, a file already in memory). */
export function readCsvBytes(bytes: Uint8Array, delimiter?: CsvDelimiter): ImportRow[] {
  const reader = new CsvByteReader(delimiter)
  return [...reader.push(bytes), ...reader.end()]
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}
