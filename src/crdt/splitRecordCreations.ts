import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { CONTENT_ANY, CONTENT_DELETED, CONTENT_TYPE, TYPE_REF_MAP } from './decodeUpdateV1'
import { RECORDS } from './recordDoc'

/** Yjs content refs besides those decodeUpdateV1 names: a string, and type refs carrying a name. */
const CONTENT_STRING = 4
const TYPE_REF_XML_ELEMENT = 3
const TYPE_REF_XML_HOOK = 5

/**
 * Cuts a V1 update that creates many records (an import's batch: one client's structs, each
 * record's map followed by its values) into updates of at most `perPiece` records each, which,
 * applied in order, make the same document. A piece starts where a record's map is created, so
 * a record's values and their stamps stay in one piece; the delete set goes with the last.
 *
 * A server deriving what a big update changed can then do it a piece at a time between other
 * work (a 1,000-record update held the relay's event loop for one slice of hundreds of ms).
 * Answers null when the update is not of that shape (several clients, GC or skipped structs,
 * content other than values and maps, fewer records than two pieces): take it whole.
 */
export function splitRecordCreations(update: Uint8Array, perPiece: number): Uint8Array[] | null {
  const d = decoding.createDecoder(update)
  if (decoding.readVarUint(d) !== 1) return null
  const count = decoding.readVarUint(d)
  const client = decoding.readVarUint(d)
  const firstClock = decoding.readVarUint(d)
  /** Byte offset and clock of each struct that starts a piece. */
  const cuts: { at: number; clock: number; structs: number }[] = []
  let clock = firstClock
  let records = 0
  for (let k = 0; k < count; k++) {
    const at = d.pos
    const info = decoding.readUint8(d)
    const ref = info & 0b11111
    if (info & 0x80) { decoding.readVarUint(d); decoding.readVarUint(d) }
    if (info & 0x40) { decoding.readVarUint(d); decoding.readVarUint(d) }
    let rootName: string | null = null
    if ((info & 0xc0) === 0) {
      if (decoding.readVarUint(d) === 1) rootName = decoding.readVarString(d)
      else { decoding.readVarUint(d); decoding.readVarUint(d) }
      if (info & 0x20) decoding.readVarString(d)
    }
    let length: number
    if (ref === CONTENT_ANY) {
      length = decoding.readVarUint(d)
      for (let i = 0; i < length; i++) decoding.readAny(d)
    } else if (ref === CONTENT_TYPE) {
      const typeRef = decoding.readVarUint(d)
      if (typeRef === TYPE_REF_XML_ELEMENT || typeRef === TYPE_REF_XML_HOOK) decoding.readVarString(d)
      length = 1
      // a record's map: the struct of records.set(id, new Y.Map())
      if (typeRef === TYPE_REF_MAP && rootName === RECORDS) {
        if (records % perPiece === 0 && k > 0) cuts.push({ at, clock, structs: k })
        records++
      }
    } else if (ref === CONTENT_DELETED) {
      length = decoding.readVarUint(d)
    } else if (ref === CONTENT_STRING) {
      length = decoding.readVarString(d).length
    } else {
      return null
    }
    clock += length
  }
  if (!cuts.length) return null
  const deleteSetAt = d.pos
  const bounds = [{ at: headerEnd(update), clock: firstClock, structs: 0 }, ...cuts, { at: deleteSetAt, clock, structs: count }]
  const pieces: Uint8Array[] = []
  for (let p = 0; p + 1 < bounds.length; p++) {
    const from = bounds[p]!
    const to = bounds[p + 1]!
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, to.structs - from.structs)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, from.clock)
    encoding.writeUint8Array(e, update.subarray(from.at, to.at))
    if (p + 2 === bounds.length) encoding.writeUint8Array(e, update.subarray(deleteSetAt))
    else encoding.writeVarUint(e, 0)
    pieces.push(encoding.toUint8Array(e))
  }
  return pieces
}

/** Where the first struct starts: after the client count, struct count, client and clock. */
function headerEnd(update: Uint8Array): number {
  const d = decoding.createDecoder(update)
  for (let k = 0; k < 4; k++) decoding.readVarUint(d)
  return d.pos
}
