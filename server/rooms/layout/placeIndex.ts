import type { Place } from './analyzeLayout'

/**
 * Places of items a room has, by item id: per client, ranges of clocks sorted by start, in
 * typed arrays (an entity document has about one indexed item per record, so 100k records
 * are a few megabytes at most). Keys are kept only when asked (the small schema document).
 */
export class PlaceIndex {
  private readonly clients = new Map<number, ClientRanges>()

  constructor(private readonly keepKeys: boolean) {}

  add(client: number, clock: number, length: number, place: Place): void {
    let ranges = this.clients.get(client)
    if (!ranges) this.clients.set(client, (ranges = new ClientRanges(this.keepKeys)))
    ranges.insert(clock, length, place)
  }

  get(client: number, clock: number): Place | null {
    return this.clients.get(client)?.find(clock) ?? null
  }

  get size(): number {
    let n = 0
    for (const ranges of this.clients.values()) n += ranges.length
    return n
  }

  /** Flattened [client, count, (clock, length, role)…]… as one array, to post to a worker (entity documents: no keys). */
  pack(): Float64Array {
    const packed = new Float64Array(1 + this.clients.size * 2 + this.size * 3)
    let at = 0
    packed[at++] = this.clients.size
    for (const [client, ranges] of this.clients) {
      packed[at++] = client
      packed[at++] = ranges.length
      for (let i = 0; i < ranges.length; i++) {
        packed[at++] = ranges.starts[i] as number
        packed[at++] = ranges.lengths[i] as number
        packed[at++] = ranges.roles[i] as number
      }
    }
    return packed
  }

  static unpack(packed: Float64Array): PlaceIndex {
    const index = new PlaceIndex(false)
    let at = 0
    for (let clients = packed[at++] as number; clients > 0; clients--) {
      const client = packed[at++] as number
      for (let n = packed[at++] as number; n > 0; n--) {
        const clock = packed[at++] as number
        const length = packed[at++] as number
        index.add(client, clock, length, { role: packed[at++] as number, key: null })
      }
    }
    return index
  }
}

class ClientRanges {
  length = 0
  starts = new Float64Array(4)
  lengths = new Uint32Array(4)
  roles = new Uint8Array(4)
  keys: Array<string | null> | null

  constructor(keepKeys: boolean) {
    this.keys = keepKeys ? [] : null
  }

  insert(clock: number, length: number, place: Place): void {
    // Updates arrive mostly in clock order: appending is the common case.
    let at = this.length
    while (at > 0 && (this.starts[at - 1] as number) > clock) at--
    if (at > 0 && (this.starts[at - 1] as number) === clock) return
    if (this.length === this.starts.length) this.grow()
    this.starts.copyWithin(at + 1, at, this.length)
    this.lengths.copyWithin(at + 1, at, this.length)
    this.roles.copyWithin(at + 1, at, this.length)
    this.starts[at] = clock
    this.lengths[at] = length
    this.roles[at] = place.role
    this.keys?.splice(at, 0, place.key)
    this.length++
  }

  find(clock: number): Place | null {
    let lo = 0
    let hi = this.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const start = this.starts[mid] as number
      if (clock < start) hi = mid - 1
      else if (clock >= start + (this.lengths[mid] as number)) lo = mid + 1
      else return { role: this.roles[mid] as number, key: this.keys ? (this.keys[mid] ?? null) : null }
    }
    return null
  }

  private grow(): void {
    const size = this.starts.length * 2
    const starts = new Float64Array(size)
    starts.set(this.starts)
    const lengths = new Uint32Array(size)
    lengths.set(this.lengths)
    const roles = new Uint8Array(size)
    roles.set(this.roles)
    this.starts = starts
    this.lengths = lengths
    this.roles = roles
  }
}
