/**
 * Copies small messages into shared blocks: one ArrayBuffer per block instead of one per
 * message. A room keeps every update since its last compaction, so each edit's own buffer
 * (with the bookkeeping V8 keeps per ArrayBuffer) lived through young-generation collections
 * and was copied and swept by each. A block stays alive while any message in it does; one per
 * room, so a room's compaction frees its blocks without waiting for other rooms.
 */
export class MessageSlab {
  private block = new Uint8Array(0)
  private used = 0

  constructor(
    private readonly blockBytes = 8 * 1024,
    /** Bigger messages get a buffer of their own (a block is not kept alive for one big copy). */
    private readonly ownAboveBytes = 1024,
  ) {}

  /** A copy of `bytes`: a view into the current block, or its own buffer when big. */
  copy(bytes: Uint8Array): Uint8Array {
    const size = bytes.byteLength
    if (size > this.ownAboveBytes) return bytes.slice()
    if (this.used + size > this.block.byteLength) {
      this.block = new Uint8Array(this.blockBytes)
      this.used = 0
    }
    const copy = this.block.subarray(this.used, this.used + size)
    copy.set(bytes)
    this.used += size
    return copy
  }
}

/**
 * The updates as bytes of their own, for posting to a thread: a structured clone of a view into
 * a MessageSlab block copies the whole block (8 KiB for a 50-byte edit).
 */
export function ownedCopies(updates: readonly Uint8Array[]): Uint8Array[] {
  return updates.map((u) => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u : u.slice()))
}
