import type { Row, RowPatch } from '../domain/schema'
import type { CompactRecordStore, KeyItem } from './compactRecordStore'
import { CONTENT_ANY, decodeUpdateV1, type ClientTable } from './decodeUpdateV1'
import { isEditStampKey, stampedKey } from './editStamp'
import type { ItemId } from './encodeUpdateV1'

/*
 * What one update did to an entity document, for the record history (issue 15): the rows before
 * and after, and for every key the update wrote the time its writer stamped on that write
 * (editStamp.ts) and whether it raced another write of the key. Read from the update itself, not
 * the merged state, so an offline session synced as one update still tells its edits' times apart.
 */

/** The last write of one key of one record in an update. */
export interface KeyEdit {
  recordId: string
  key: string
  /** The value written; undefined when the update does not carry it (collected garbage, a run's inner element). */
  value: unknown
  /** The writer's stamp on this write (its clock, not checked); undefined for writers that do not stamp. */
  at: string | undefined
  /** The writer had not seen the key's value it replaced: another write of the key came in between. */
  concurrent: boolean
  /** This write holds the key now (a concurrent one may have lost to the value there before). */
  won: boolean
}

export interface UpdateEdits {
  patch: RowPatch
  /** Rows of the records the update touched, before it (undefined: the record was new). */
  before: Map<string, Row | undefined>
  edits: KeyEdit[]
  /** Per record the latest stamp the update carries. */
  recordStamps: Map<string, string>
  /** Per record and key (`<record id>\n<key>`) the stamp the update carries: removals write no item but a stamp. */
  keyStamps: Map<string, string>
}

/**
 * Applies `update` to `store` (a relay's copy of the stored document) and reads its edits.
 * `rowsBefore` answers a record's row as it was before (the store replaces a changed row's object,
 * so the caller's map of rows as last seen serves).
 */
export function applyUpdateWithEdits(store: CompactRecordStore, update: Uint8Array, rowsBefore: (id: string) => Row | undefined): UpdateEdits {
  const items: KeyItem[] = []
  const stop = store.watchRemoteItems({ watching: () => true, wants: () => true, receive: (received) => { items.push(...received) } })
  let patch: RowPatch
  try {
    patch = store.applyUpdate(update)
  } finally {
    stop()
  }
  const before = new Map<string, Row | undefined>()
  for (const id of [...patch.added.map((r) => r.id), ...patch.updated.map((r) => r.id), ...patch.removed]) before.set(id, rowsBefore(id))
  const values = valuesOf(update)
  const valueOf = (id: ItemId) => values.get(itemKey(id))

  // each key's stamp in this update: a removal writes no item of its key, only its stamp
  const stamps = new Map<string, string>()
  const recordStamps = new Map<string, string>()
  for (const it of items) {
    const key = stampedKey(it.key)
    if (key === null) continue
    const at = valueOf(it.id)
    if (typeof at !== 'string') continue
    stamps.set(`${it.recordId}\n${key}`, at)
    const latest = recordStamps.get(it.recordId)
    if (latest === undefined || at > latest) recordStamps.set(it.recordId, at)
    if (!before.has(it.recordId)) before.set(it.recordId, rowsBefore(it.recordId))
  }

  const byKey = new Map<string, KeyItem[]>()
  for (const it of items) {
    if (isEditStampKey(it.key)) continue
    const k = `${it.recordId}\n${it.key}`
    const list = byKey.get(k)
    if (list) list.push(it)
    else byKey.set(k, [it])
  }
  const edits: KeyEdit[] = []
  for (const list of byKey.values()) {
    const { recordId, key } = list[0]!
    const mine = new Set(list.map((it) => itemKey(it.id)))
    // reported in an order Yjs could integrate them: the last one is the update's final write of the key
    const last = list[list.length - 1]!
    const holder = store.lastItemId(recordId, key)
    const won = holder !== null && mine.has(itemKey(holder.id))
    // an item placed after something other than its origin raced that item; one that is not the key's
    // last lost to a write it had not seen
    const raced = list.some((it) => it.origin !== undefined && it.after !== undefined && !sameId(it.origin, it.after))
    edits.push({ recordId, key, value: valueOf(last.id), at: stamps.get(`${recordId}\n${key}`), concurrent: raced || !won, won })
    if (!before.has(recordId)) before.set(recordId, rowsBefore(recordId))
  }
  return { patch, before, edits, recordStamps, keyStamps: stamps }
}

function itemKey(id: ItemId): string {
  return `${id.client}:${id.clock}`
}

function sameId(a: ItemId | null, b: ItemId | null): boolean {
  if (a === null || b === null) return a === b
  return a.client === b.client && a.clock === b.clock
}

/** The JSON values an update carries, by item id (the last element of a run only). */
function valuesOf(update: Uint8Array): Map<string, unknown> {
  const clients: number[] = []
  const index = new Map<number, number>()
  const table: ClientTable = {
    indexOf(client) {
      let i = index.get(client)
      if (i === undefined) { i = clients.length; clients.push(client); index.set(client, i) }
      return i
    },
  }
  const decoded = decodeUpdateV1(update, table)
  const values = new Map<string, unknown>()
  for (let i = 0; i < decoded.length; i++) {
    if (decoded.kind[i] !== CONTENT_ANY) continue
    values.set(itemKey({ client: clients[decoded.client[i]!]!, clock: decoded.clock[i]! + decoded.len[i]! - 1 }), decoded.values[i])
  }
  return values
}
