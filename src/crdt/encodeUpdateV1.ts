import * as encoding from 'lib0/encoding'

/*
 * Writes Yjs V1 updates for map writes, byte for byte as yjs's Item.write with UpdateEncoderV1
 * would: info byte (content ref | 0x80 origin | 0x40 right origin | 0x20 parentSub), origin,
 * parent and key only when there is no origin, then the content; then the delete set.
 */

export interface ItemId { client: number; clock: number }

export type MapItemContent = { kind: 'map' } | { kind: 'any'; value: unknown }

export interface MapItemWrite {
  /** The item this one follows (the key's previous item); null for a key never set. */
  origin: ItemId | null
  /** Used only without an origin: a root type's name or the parent map's item id. */
  parent: string | ItemId
  key: string
  content: MapItemContent
}

export interface DeleteRange { client: number; clock: number; len: number }

const CONTENT_TYPE = 7
const CONTENT_ANY = 8
const TYPE_REF_MAP = 1

/** One update: `items` get consecutive clocks from `startClock` for `client`, then the deletes. */
export function encodeUpdateV1(client: number, startClock: number, items: readonly MapItemWrite[], deletes: readonly DeleteRange[]): Uint8Array {
  const e = encoding.createEncoder()
  if (items.length) {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, items.length)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, startClock)
    for (const item of items) writeItem(e, item)
  } else {
    encoding.writeVarUint(e, 0)
  }
  writeDeleteSet(e, deletes)
  return encoding.toUint8Array(e)
}

function writeItem(e: encoding.Encoder, item: MapItemWrite): void {
  const ref = item.content.kind === 'map' ? CONTENT_TYPE : CONTENT_ANY
  encoding.writeUint8(e, ref | (item.origin ? 0x80 : 0) | 0x20)
  if (item.origin) {
    encoding.writeVarUint(e, item.origin.client)
    encoding.writeVarUint(e, item.origin.clock)
  } else {
    if (typeof item.parent === 'string') {
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, item.parent)
    } else {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, item.parent.client)
      encoding.writeVarUint(e, item.parent.clock)
    }
    encoding.writeVarString(e, item.key)
  }
  if (item.content.kind === 'map') {
    encoding.writeVarUint(e, TYPE_REF_MAP)
  } else {
    encoding.writeVarUint(e, 1)
    encoding.writeAny(e, item.content.value as encoding.AnyEncodable)
  }
}

/** Sorted by client (descending, like yjs) and clock, adjacent ranges merged. */
function writeDeleteSet(e: encoding.Encoder, deletes: readonly DeleteRange[]): void {
  const byClient = new Map<number, DeleteRange[]>()
  for (const d of deletes) {
    let list = byClient.get(d.client)
    if (!list) byClient.set(d.client, (list = []))
    list.push(d)
  }
  encoding.writeVarUint(e, byClient.size)
  for (const client of [...byClient.keys()].sort((a, b) => b - a)) {
    const list = byClient.get(client)!.slice().sort((a, b) => a.clock - b.clock)
    const merged: DeleteRange[] = []
    for (const d of list) {
      const last = merged[merged.length - 1]
      if (last && d.clock <= last.clock + last.len) last.len = Math.max(last.len, d.clock + d.len - last.clock)
      else merged.push({ ...d })
    }
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, merged.length)
    for (const d of merged) {
      encoding.writeVarUint(e, d.clock)
      encoding.writeVarUint(e, d.len)
    }
  }
}
