import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { CONTENT_ANY, CONTENT_DELETED, CONTENT_TYPE, STRUCT_GC, STRUCT_SKIP, TYPE_REF_MAP, UpdateDecodeError } from './decodeUpdateV1'
import { RECORDS } from './recordDoc'

/** A piece of an update, and the clock each of its clients reaches with it. */
export interface UpdatePiece {
  update: Uint8Array
  /** Client id → the clock after this piece's last struct of that client. */
  ends: Map<number, number>
}

export interface SplitUpdateOptions {
  /** A piece is cut once it holds this many bytes of structs (at the next record's start, or at twice as many). */
  maxBytes: number
  /**
   * Clients whose structs go first, in this order (then the others, as the update has them):
   * a newer session's edits hang off an older session's items, and a relay holds an update
   * until it has what the update hangs off.
   */
  clientOrder?: readonly number[]
}

/** A client's consecutive structs: bytes [from, to) of the update, `count` structs from `clock`. */
interface Run { client: number; clock: number; count: number; from: number; to: number; endClock: number }

/**
 * Cuts a V1 update into updates that, applied in order, make the same document, each holding
 * about `maxBytes` of structs: a client's structs in clock order, so every piece hangs off the
 * ones before it (or off what the receiver had); the delete set goes with the last piece. A cut
 * falls where a record's map is created when one comes within twice `maxBytes`, so a receiver
 * sees whole records.
 *
 * Why: an offline browser's unconfirmed updates (an import of thousands of records) would go to
 * the relay as one sync step 2 of many megabytes, which the relay stores, checks and forwards
 * as one — its loop stalls and the member sees no progress until all of it is acknowledged.
 * Pieces are stored and acknowledged one after another. An update of at most `maxBytes`
 * comes back whole. Throws UpdateDecodeError on bytes that are no V1 update.
 */
export function* splitUpdate(update: Uint8Array, options: SplitUpdateOptions): Generator<UpdatePiece> {
  const { maxBytes } = options
  if (update.byteLength <= maxBytes) {
    yield { update, ends: endsOf(update) }
    return
  }
  const reader = new RunReader(update, maxBytes)
  let runs: Iterable<Run> = reader.runs()
  if (reader.sections > 1 && options.clientOrder?.length) {
    // reordering needs every run first; one section (one session's writes) is cut as it is read
    const order = new Map(options.clientOrder.map((client, i) => [client, i]))
    const rank = (run: Run) => order.get(run.client) ?? order.size
    // stable: a client's runs keep their order
    runs = [...runs].map((run, i) => ({ run, i })).sort((a, b) => rank(a.run) - rank(b.run) || a.i - b.i).map((x) => x.run)
  }
  let piece: Run[] = []
  let bytes = 0
  for (const run of runs) {
    const size = run.to - run.from
    // one section per client in an update
    if (piece.length && (bytes >= maxBytes || bytes + size > 2 * maxBytes || piece.some((r) => r.client === run.client))) {
      yield encodePiece(update, piece, null)
      piece = []
      bytes = 0
    }
    piece.push(run)
    bytes += size
  }
  yield encodePiece(update, piece, update.subarray(reader.deleteSetAt))
}

/** Reads an update's structs as runs of about maxBytes each, cut at record starts where possible, skips left out. */
class RunReader {
  readonly sections: number
  /** Where the delete set starts, once every run was read. */
  deleteSetAt = -1
  private readonly d: decoding.Decoder

  constructor(update: Uint8Array, private readonly maxBytes: number) {
    this.d = decoding.createDecoder(update)
    this.sections = decoding.readVarUint(this.d)
  }

  *runs(): Generator<Run> {
    const { d, maxBytes } = this
    for (let s = 0; s < this.sections; s++) {
      const structs = decoding.readVarUint(d)
      const client = decoding.readVarUint(d)
      let clock = decoding.readVarUint(d)
      let run: Run | null = null
      for (let k = 0; k < structs; k++) {
        const at = d.pos
        const { length, skip, recordStart } = readStruct(d)
        if (skip) {
          if (run) yield run
          run = null
        } else {
          const size = run ? at - run.from : 0
          if (run && (size >= 2 * maxBytes || (size >= maxBytes && recordStart))) {
            yield run
            run = null
          }
          run ??= { client, clock, count: 0, from: at, to: at, endClock: clock }
          run.count++
          run.to = d.pos
          run.endClock = clock + length
        }
        clock += length
      }
      if (run) yield run
    }
    this.deleteSetAt = d.pos
  }
}

/** Reads one struct (yjs's Item.write / GC / Skip layout): its clock length, and whether it creates a record's map. */
function readStruct(d: decoding.Decoder): { length: number; skip: boolean; recordStart: boolean } {
  const info = decoding.readUint8(d)
  const ref = info & 0x1f
  if (ref === STRUCT_GC || ref === STRUCT_SKIP) return { length: decoding.readVarUint(d), skip: ref === STRUCT_SKIP, recordStart: false }
  if (info & 0x80) { decoding.readVarUint(d); decoding.readVarUint(d) }
  if (info & 0x40) { decoding.readVarUint(d); decoding.readVarUint(d) }
  let rootName: string | null = null
  if ((info & 0xc0) === 0) {
    if (decoding.readVarUint(d) === 1) rootName = decoding.readVarString(d)
    else { decoding.readVarUint(d); decoding.readVarUint(d) }
    if (info & 0x20) decoding.readVarString(d)
  }
  switch (ref) {
    case CONTENT_DELETED: return { length: decoding.readVarUint(d), skip: false, recordStart: false }
    case 2: { // ContentJSON
      const n = decoding.readVarUint(d)
      for (let k = 0; k < n; k++) decoding.readVarString(d)
      return { length: n, skip: false, recordStart: false }
    }
    case 3: decoding.readVarUint8Array(d); return { length: 1, skip: false, recordStart: false } // ContentBinary
    case 4: return { length: decoding.readVarString(d).length, skip: false, recordStart: false } // ContentString (UTF-16 units)
    case 5: decoding.readVarString(d); return { length: 1, skip: false, recordStart: false } // ContentEmbed
    case 6: decoding.readVarString(d); decoding.readVarString(d); return { length: 1, skip: false, recordStart: false } // ContentFormat
    case CONTENT_TYPE: {
      const typeRef = decoding.readVarUint(d)
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d) // YXmlElement / YXmlHook name
      return { length: 1, skip: false, recordStart: typeRef === TYPE_REF_MAP && rootName === RECORDS }
    }
    case CONTENT_ANY: {
      const n = decoding.readVarUint(d)
      for (let k = 0; k < n; k++) decoding.readAny(d)
      return { length: n, skip: false, recordStart: false }
    }
    case 9: decoding.readVarString(d); decoding.readAny(d); return { length: 1, skip: false, recordStart: false } // ContentDoc
    default: throw new UpdateDecodeError(`unknown content ref ${ref}`)
  }
}

function encodePiece(update: Uint8Array, runs: readonly Run[], deleteSet: Uint8Array | null): UpdatePiece {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, runs.length)
  for (const run of runs) {
    encoding.writeVarUint(e, run.count)
    encoding.writeVarUint(e, run.client)
    encoding.writeVarUint(e, run.clock)
    encoding.writeUint8Array(e, update.subarray(run.from, run.to))
  }
  if (deleteSet) encoding.writeUint8Array(e, deleteSet)
  else encoding.writeVarUint(e, 0)
  return { update: encoding.toUint8Array(e), ends: new Map(runs.map((r) => [r.client, r.endClock])) }
}

/** The clock each client reaches with a small update, read without decoding its content twice. */
function endsOf(update: Uint8Array): Map<number, number> {
  const ends = new Map<number, number>()
  for (const run of new RunReader(update, Infinity).runs()) ends.set(run.client, Math.max(ends.get(run.client) ?? 0, run.endClock))
  return ends
}
