import * as decoding from 'lib0/decoding'

/*
 * A Yjs V1 update decoded into parallel arrays (one entry per struct) instead of Item objects:
 * reading 400k structs this way allocates a few typed arrays rather than a million objects.
 * The byte layout follows yjs's UpdateDecoderV1 / readClientsStructRefs / readDeleteSet.
 */

/** Struct kinds, from the low 5 bits of the info byte (Yjs content refs; 0 and 10 are GC and Skip). */
export const STRUCT_GC = 0
export const CONTENT_DELETED = 1
export const CONTENT_TYPE = 7
export const CONTENT_ANY = 8
export const STRUCT_SKIP = 10
/** Yjs type ref of Y.Map inside ContentType. */
export const TYPE_REF_MAP = 1

export const PARENT_INHERITED = 0
export const PARENT_ROOT = 1
export const PARENT_ID = 2

const NONE = -1

export class UpdateDecodeError extends Error {}

/** Maps a Yjs client id to a small dense index shared by everything decoded into one store. */
export interface ClientTable {
  indexOf(client: number): number
}

export interface ClientBlock { client: number; first: number; end: number }

export interface DeleteRanges { client: number; clocks: number[]; lens: number[] }

export class DecodedUpdate {
  length = 0
  kind: Uint8Array
  typeRef: Uint8Array
  client: Int32Array
  clock: Uint32Array
  len: Uint32Array
  originClient: Int32Array
  originClock: Uint32Array
  rightClient: Int32Array
  rightClock: Uint32Array
  parentKind: Uint8Array
  /** Client index of the parent item, or the index into `subs` of a root type's name. */
  parentClient: Int32Array
  parentClock: Uint32Array
  /** Index into `subs` of the map key (parentSub), or -1. */
  sub: Int32Array
  /** The last element of ContentAny (the value a Y.Map reads); undefined for other content. */
  values: unknown[] = []
  subs: string[] = []
  /** Short string values seen while decoding, to share equal ones. */
  readonly strings = new Map<string, string>()
  blocks: ClientBlock[] = []
  deletes: DeleteRanges[] = []
  private subIndex = new Map<string, number>()

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity)
    this.typeRef = new Uint8Array(capacity)
    this.client = new Int32Array(capacity)
    this.clock = new Uint32Array(capacity)
    this.len = new Uint32Array(capacity)
    this.originClient = new Int32Array(capacity)
    this.originClock = new Uint32Array(capacity)
    this.rightClient = new Int32Array(capacity)
    this.rightClock = new Uint32Array(capacity)
    this.parentKind = new Uint8Array(capacity)
    this.parentClient = new Int32Array(capacity)
    this.parentClock = new Uint32Array(capacity)
    this.sub = new Int32Array(capacity)
  }

  subOf(s: string): number {
    let i = this.subIndex.get(s)
    if (i === undefined) {
      i = this.subs.length
      this.subs.push(s)
      this.subIndex.set(s, i)
    }
    return i
  }

  /** Index of the struct holding (clientIdx, clock), or -1 when the update does not contain it. */
  find(clientIdx: number, clock: number): number {
    const block = this.blockByClient[clientIdx]
    if (!block) return NONE
    let lo = block.first
    let hi = block.end - 1
    if (lo > hi || clock < this.clock[lo]!) return NONE
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.clock[mid]! <= clock) lo = mid
      else hi = mid - 1
    }
    return clock < this.clock[lo]! + this.len[lo]! ? lo : NONE
  }

  blockByClient: (ClientBlock | undefined)[] = []
  /** A client's structs in more than one block (yjs never writes that): leave it to Yjs. */
  irregular = false

  grow(): void {
    const cap = this.kind.length * 2
    const g = <T extends Uint8Array | Int32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.kind = g(this.kind, (n) => new Uint8Array(n))
    this.typeRef = g(this.typeRef, (n) => new Uint8Array(n))
    this.client = g(this.client, (n) => new Int32Array(n))
    this.clock = g(this.clock, (n) => new Uint32Array(n))
    this.len = g(this.len, (n) => new Uint32Array(n))
    this.originClient = g(this.originClient, (n) => new Int32Array(n))
    this.originClock = g(this.originClock, (n) => new Uint32Array(n))
    this.rightClient = g(this.rightClient, (n) => new Int32Array(n))
    this.rightClock = g(this.rightClock, (n) => new Uint32Array(n))
    this.parentKind = g(this.parentKind, (n) => new Uint8Array(n))
    this.parentClient = g(this.parentClient, (n) => new Int32Array(n))
    this.parentClock = g(this.parentClock, (n) => new Uint32Array(n))
    this.sub = g(this.sub, (n) => new Int32Array(n))
  }
}

const MAX_CLOCK = 0xffffffff

function readClock(d: decoding.Decoder): number {
  const c = decoding.readVarUint(d)
  if (c > MAX_CLOCK) throw new UpdateDecodeError(`clock ${c} does not fit 32 bits`)
  return c
}

/** Reads the content of one item, returning its length and (for ContentAny) its last element. */
function readContent(d: decoding.Decoder, ref: number, out: DecodedUpdate, i: number): number {
  switch (ref) {
    case CONTENT_DELETED: return decoding.readVarUint(d)
    case 2: { // ContentJSON
      const n = decoding.readVarUint(d)
      for (let k = 0; k < n; k++) decoding.readVarString(d)
      return n
    }
    case 3: decoding.readVarUint8Array(d); return 1 // ContentBinary
    case 4: return decoding.readVarString(d).length // ContentString
    case 5: decoding.readVarString(d); return 1 // ContentEmbed
    case 6: decoding.readVarString(d); decoding.readVarString(d); return 1 // ContentFormat
    case CONTENT_TYPE: {
      const typeRef = decoding.readVarUint(d)
      out.typeRef[i] = typeRef
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d) // YXmlElement / YXmlHook name
      return 1
    }
    case CONTENT_ANY: {
      const n = decoding.readVarUint(d)
      let last: unknown
      for (let k = 0; k < n; k++) last = readValue(d, out.strings)
      out.values[i] = last
      return n
    }
    case 9: decoding.readVarString(d); decoding.readAny(d); return 1 // ContentDoc
    default: throw new UpdateDecodeError(`unknown content ref ${ref}`)
  }
}

/** Strings up to this length are shared between equal values (as JSON.parse does). */
const INTERN_MAX_LENGTH = 24

/**
 * lib0's readAny, but arrays get their exact length (push leaves room for 16 more) and short
 * strings repeated across records ('Berlin', a stage, the author) are one string: with 30k rows
 * each of these saves megabytes of heap.
 */
function readValue(d: decoding.Decoder, strings: Map<string, string>): unknown {
  const tag = decoding.readUint8(d)
  switch (tag) {
    case 127: return undefined
    case 126: return null
    case 125: return decoding.readVarInt(d)
    case 124: return decoding.readFloat32(d)
    case 123: return decoding.readFloat64(d)
    case 122: return decoding.readBigInt64(d)
    case 121: return false
    case 120: return true
    case 119: {
      const str = decoding.readVarString(d)
      if (str.length > INTERN_MAX_LENGTH) return str
      const shared = strings.get(str)
      if (shared !== undefined) return shared
      strings.set(str, str)
      return str
    }
    case 118: {
      const n = decoding.readVarUint(d)
      const obj: Record<string, unknown> = {}
      for (let k = 0; k < n; k++) {
        const key = decoding.readVarString(d)
        obj[key] = readValue(d, strings)
      }
      return obj
    }
    case 117: {
      const n = decoding.readVarUint(d)
      const arr: unknown[] = new Array(n)
      for (let k = 0; k < n; k++) arr[k] = readValue(d, strings)
      return arr
    }
    case 116: return decoding.readVarUint8Array(d)
    default: throw new UpdateDecodeError(`unknown value tag ${tag}`)
  }
}

/** Decodes a V1 update. Client ids become indices of `clients`. */
export function decodeUpdateV1(update: Uint8Array, clients: ClientTable): DecodedUpdate {
  const d = decoding.createDecoder(update)
  const out = new DecodedUpdate(Math.max(16, Math.min(1 << 16, update.length >> 4)))
  const blockCount = decoding.readVarUint(d)
  let i = 0
  for (let b = 0; b < blockCount; b++) {
    const n = decoding.readVarUint(d)
    const clientId = decoding.readVarUint(d)
    const client = clients.indexOf(clientId)
    let clock = readClock(d)
    const block: ClientBlock = { client, first: i, end: i }
    if (out.blockByClient[client]) out.irregular = true
    out.blocks.push(block)
    out.blockByClient[client] = block
    for (let s = 0; s < n; s++, i++) {
      if (i === out.kind.length) out.grow()
      const info = decoding.readUint8(d)
      const ref = info & 0x1f
      out.kind[i] = ref
      out.client[i] = client
      out.clock[i] = clock
      out.originClient[i] = NONE
      out.rightClient[i] = NONE
      out.sub[i] = NONE
      out.parentKind[i] = PARENT_INHERITED
      out.values[i] = undefined
      let len: number
      if (ref === STRUCT_GC || ref === STRUCT_SKIP) {
        len = decoding.readVarUint(d)
      } else {
        if (info & 0x80) {
          out.originClient[i] = clients.indexOf(decoding.readVarUint(d))
          out.originClock[i] = readClock(d)
        }
        if (info & 0x40) {
          out.rightClient[i] = clients.indexOf(decoding.readVarUint(d))
          out.rightClock[i] = readClock(d)
        }
        if ((info & 0xc0) === 0) {
          if (decoding.readVarUint(d) === 1) {
            out.parentKind[i] = PARENT_ROOT
            out.parentClient[i] = out.subOf(decoding.readVarString(d))
          } else {
            out.parentKind[i] = PARENT_ID
            out.parentClient[i] = clients.indexOf(decoding.readVarUint(d))
            out.parentClock[i] = readClock(d)
          }
          if (info & 0x20) out.sub[i] = out.subOf(decoding.readVarString(d))
        }
        len = readContent(d, ref, out, i)
      }
      if (len < 1) throw new UpdateDecodeError('struct of length 0')
      out.len[i] = len
      clock += len
      if (clock > MAX_CLOCK + 1) throw new UpdateDecodeError('clock overflow')
    }
    block.end = i
  }
  out.length = i
  const dsClients = decoding.readVarUint(d)
  for (let c = 0; c < dsClients; c++) {
    const client = clients.indexOf(decoding.readVarUint(d))
    const n = decoding.readVarUint(d)
    const ranges: DeleteRanges = { client, clocks: [], lens: [] }
    for (let k = 0; k < n; k++) {
      ranges.clocks.push(decoding.readVarUint(d))
      ranges.lens.push(decoding.readVarUint(d))
    }
    out.deletes.push(ranges)
  }
  return out
}
