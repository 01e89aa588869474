import type { DeleteRanges } from './decodeUpdateV1'
import { decodeUpdateV1 } from './decodeUpdateV1'
import { encodeUpdateV1, type DeleteRange } from './encodeUpdateV1'

/** The delete set of a V1 update as an update of its own (no structs). */
export function deleteSetOf(update: Uint8Array): Uint8Array {
  const clients: number[] = []
  const index = new Map<number, number>()
  const decoded = decodeUpdateV1(update, {
    indexOf(client) {
      let i = index.get(client)
      if (i === undefined) { i = clients.length; clients.push(client); index.set(client, i) }
      return i
    },
  })
  return encodeDeleteSet(decoded.deletes, clients)
}

/** Decoded delete ranges (client indices into `clients`) as a V1 update without structs. */
export function encodeDeleteSet(deletes: readonly DeleteRanges[], clients: readonly number[]): Uint8Array {
  const ranges: DeleteRange[] = []
  for (const d of deletes) {
    for (let k = 0; k < d.clocks.length; k++) if (d.lens[k]! > 0) ranges.push({ client: clients[d.client]!, clock: d.clocks[k]!, len: d.lens[k]! })
  }
  return encodeUpdateV1(0, 0, [], ranges)
}
