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
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch (error) {
    throw new MalformedMessageError(`invalid Yjs update: ${(error as Error).message}`)
  }
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
