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

/**
 * inspectUpdate of an update already decoded (the layout check reads the same structs). Runs for
 * every edit a client sends: one pass, ranges merged as they come (Yjs writes a client's structs
 * and deletions in clock order), sorted only when an update's are not.
 */
export function inspectDecoded(decoded: DecodedUpdate): UpdateInspection {
  const structs = new Map<number, ClockRange[]>()
  const unsorted: number[] = []
  const list = decoded.structs
  for (let i = 0; i < list.length; i++) {
    const struct = list[i] as (typeof list)[number]
    if (struct instanceof Y.Skip) continue
    const id = struct.id
    const clock = id.clock
    const length = struct.length
    if (!Number.isSafeInteger(clock) || !Number.isSafeInteger(length) || length < 0) {
      throw new MalformedMessageError(`invalid Yjs update: bad struct clock/length for client ${id.client}`)
    }
    if (length > 0) appendRange(structs, unsorted, id.client, clock, clock + length)
  }
  const deletes = new Map<number, ClockRange[]>()
  for (const [client, items] of decoded.ds.clients) {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as (typeof items)[number]
      if (item.len > 0) appendRange(deletes, unsorted, client, item.clock, item.clock + item.len)
    }
  }
  // a client id in both parts is normalized in both: rare enough not to tell them apart
  if (unsorted.length > 0) normalizeClients(structs, deletes, new Set(unsorted))
  return { structs, deletes }
}

function normalizeClients(structs: Map<number, ClockRange[]>, deletes: Map<number, ClockRange[]>, clients: Set<number>): void {
  for (const client of clients) {
    const s = structs.get(client)
    if (s) structs.set(client, normalizeRanges(s))
    const d = deletes.get(client)
    if (d) deletes.set(client, normalizeRanges(d))
  }
}

/** Adds [start, end) after the client's ranges, merged with the last when they touch; notes the client when out of order. */
function appendRange(part: Map<number, ClockRange[]>, unsorted: number[], client: number, start: number, end: number): void {
  const ranges = part.get(client)
  if (!ranges) {
    part.set(client, [[start, end]])
    return
  }
  const last = ranges[ranges.length - 1] as ClockRange
  if (start >= last[0] && start <= last[1]) {
    if (end > last[1]) last[1] = end
    return
  }
  if (start < last[0]) unsorted.push(client)
  ranges.push([start, end])
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
