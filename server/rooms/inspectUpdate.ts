import * as Y from 'yjs'
import { normalizeRanges, type ClockRange } from './clockRanges'
import { MalformedMessageError } from './malformedMessageError'

/** What a Yjs update (v1) contains, per client: inserted structs and deletions. */
export interface UpdateInspection {
  structs: Map<number, ClockRange[]>
  deletes: Map<number, ClockRange[]>
}

/**
 * Decodes the update completely (throws MalformedMessageError if it cannot) and summarizes it
 * as clock ranges. Skip structs (gaps in a merged update) are not content and are left out.
 */
export function inspectUpdate(update: Uint8Array): UpdateInspection {
  return inspectDecoded(decodeIncoming(update))
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** Decodes an update completely; throws MalformedMessageError if it cannot. */
export function decodeIncoming(update: Uint8Array): DecodedUpdate {
  try {
    return Y.decodeUpdate(update)
  } catch (error) {
    throw new MalformedMessageError(`invalid Yjs update: ${(error as Error).message}`)
  }
}

/** inspectUpdate of an update already decoded (the layout check reads the same structs). */
export function inspectDecoded(decoded: DecodedUpdate): UpdateInspection {
  const structs = new Map<number, ClockRange[]>()
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    const { client, clock } = struct.id
    if (!Number.isSafeInteger(clock) || !Number.isSafeInteger(struct.length) || struct.length < 0) {
      throw new MalformedMessageError(`invalid Yjs update: bad struct clock/length for client ${client}`)
    }
    let ranges = structs.get(client)
    if (!ranges) structs.set(client, (ranges = []))
    ranges.push([clock, clock + struct.length])
  }
  for (const [client, ranges] of structs) structs.set(client, normalizeRanges(ranges))
  const deletes = new Map<number, ClockRange[]>()
  for (const [client, items] of decoded.ds.clients) {
    const ranges = normalizeRanges(items.map((item): ClockRange => [item.clock, item.clock + item.len]))
    if (ranges.length > 0) deletes.set(client, ranges)
  }
  return { structs, deletes }
}

/**
 * The inspection as one flat array — per part (structs, then deletes): client count, then per
 * client its id, range count and the ranges' start/end — so it crosses threads as one copy.
 */
export function packInspection(inspection: UpdateInspection): Float64Array {
  let size = 2
  for (const part of [inspection.structs, inspection.deletes]) for (const ranges of part.values()) size += 2 + ranges.length * 2
  const packed = new Float64Array(size)
  let at = 0
  for (const part of [inspection.structs, inspection.deletes]) {
    packed[at++] = part.size
    for (const [client, ranges] of part) {
      packed[at++] = client
      packed[at++] = ranges.length
      for (const [start, end] of ranges) {
        packed[at++] = start
        packed[at++] = end
      }
    }
  }
  return packed
}

export function unpackInspection(packed: Float64Array): UpdateInspection {
  let at = 0
  const read = () => packed[at++] as number
  const part = () => {
    const map = new Map<number, ClockRange[]>()
    for (let clients = read(); clients > 0; clients--) {
      const client = read()
      const ranges: ClockRange[] = []
      for (let n = read(); n > 0; n--) ranges.push([read(), read()])
      map.set(client, ranges)
    }
    return map
  }
  const structs = part()
  return { structs, deletes: part() }
}
