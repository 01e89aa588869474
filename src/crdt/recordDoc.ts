import * as Y from 'yjs'
import { editStampKey, isEditStampKey, isStampedKey } from './editStamp'
import type { FieldValue, Row, RowPatch } from '../domain/schema'
import { randomId } from './randomId'
import { META_DELETED_BY, META_PURGED_AT, RecordTable, type RowMeta } from './recordTable'

/*
 * Layout of an entity document (`entity-<entityId>`):
 *   getMap('records'): recordId → Y.Map { <fieldId>: value, $createdAt, $createdBy, $deletedAt? }
 * One Y.Map per record keyed by field id, so edits to different cells of a record both win.
 * Deleting sets `$deletedAt` (soft delete): an edit racing a delete is kept, and restore is a
 * plain field change.
 */
export const RECORDS = 'records'
const META_CREATED_AT = '$createdAt'
const META_CREATED_BY = '$createdBy'
const META_DELETED_AT = '$deletedAt'

export type RecordMap = Y.Map<unknown>

export function recordsOf(doc: Y.Doc): Y.Map<RecordMap> {
  return doc.getMap(RECORDS)
}

export class RecordError extends Error {}

/*
 * Documents stored before the relay checked layouts (issue 11.1) may hold anything a stock Yjs
 * client can write: a string, Y.Text or Y.Array at records[id], a nested Y type or binary as a
 * record's value. Readers skip such an entry (as if it were absent) and warn once per document,
 * so a workspace that holds one still opens and keeps syncing.
 */
const warnedDocs = new Set<string>()

/**
 * Warns once per document that an entry outside the layout was skipped. Keyed by the Y.Doc's
 * guid (or a compact store's name): the transient docs a compact store or the relay's snapshot decoder builds for one
 * document share its guid, so each document warns once per process, not once per decode.
 */
export function warnSkippedEntry(docKey: string, what: string): void {
  const key = docKey
  if (warnedDocs.has(key)) return
  warnedDocs.add(key)
  console.warn(`kanso: skipped ${what} outside the record layout of document ${key} (stored before the relay checked layouts); further ones are skipped silently`)
}

/** The record map at `records[id]`, or undefined when the key holds anything else (or nothing). */
export function recordMapOf(records: Y.Map<RecordMap>, id: string): RecordMap | undefined {
  const y: unknown = records.get(id)
  if (y === undefined || y instanceof Y.Map) return y
  warnSkippedEntry(records.doc?.guid ?? '', `records["${id}"] (not a Y.Map)`)
  return undefined
}

/** Calls `visit` for each record map, skipping keys that hold anything else. */
function forEachRecord(records: Y.Map<RecordMap>, visit: (y: RecordMap, id: string) => void): void {
  records.forEach((y: unknown, id) => {
    if (y instanceof Y.Map) visit(y, id)
    else warnSkippedEntry(records.doc?.guid ?? '', `records["${id}"] (not a Y.Map)`)
  })
}

/** A value a record may hold: JSON (ContentAny), not a nested Y type, a Y.Doc or binary. */
export function isPlainValue(v: unknown): boolean {
  if (v === undefined) return false
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return true
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function toRow(id: string, y: RecordMap): Row {
  const values: Record<string, FieldValue> = {}
  let createdAt = ''
  let createdBy = ''
  let deletedAt: string | undefined
  const meta: RowMeta = {}
  y.forEach((v, k) => {
    if (!isPlainValue(v)) { warnSkippedEntry(y.doc?.guid ?? '', `the value of "${k}" in record "${id}" (not a JSON value)`); return }
    if (k === META_CREATED_AT) createdAt = String(v)
    else if (k === META_CREATED_BY) createdBy = String(v)
    else if (k === META_DELETED_AT) deletedAt = v == null ? undefined : String(v)
    else if (RecordTable.readMetaKey(k, v, meta)) return
    else if (!isEditStampKey(k)) values[k] = v as FieldValue
  })
  const row: Row = { id, values, createdAt, createdBy }
  if (deletedAt) row.deletedAt = deletedAt
  if (meta.deletedBy != null) row.deletedBy = String(meta.deletedBy)
  if (meta.purgedAt != null) row.purgedAt = String(meta.purgedAt)
  return row
}

export function readRow(doc: Y.Doc, id: string): Row | undefined {
  const y = recordMapOf(recordsOf(doc), id)
  return y ? toRow(id, y) : undefined
}

/** Every record including soft-deleted ones (callers filter). */
export function readAllRows(doc: Y.Doc): Row[] {
  const rows: Row[] = []
  forEachRecord(recordsOf(doc), (y, id) => rows.push(toRow(id, y)))
  return rows
}

/**
 * A record is live when its create step is in place (`$createdAt`) and it is not deleted. An
 * undone create removes `$createdAt`, which hides the record without deleting its map.
 */
function isLive(y: RecordMap): boolean {
  return y.has(META_CREATED_AT) && !y.has(META_DELETED_AT)
}

export function readLiveRows(doc: Y.Doc): Row[] {
  const rows: Row[] = []
  forEachRecord(recordsOf(doc), (y, id) => { if (isLive(y)) rows.push(toRow(id, y)) })
  return rows
}

export interface CreateRecordOptions {
  id?: string
  createdBy: string
  now?: Date
}

/**
 * Creates a record in two steps: an untracked shell (the map and its author), then a tracked
 * step that sets `$createdAt` and the values. Undoing a create removes that step, which hides
 * the record instead of removing the map, so a teammate's edit made to it meanwhile is never
 * thrown away — and creating leaves no deleted item behind (tombstones make every sync reply
 * carry a bigger delete set).
 */
export function createRecord(doc: Y.Doc, values: Record<string, FieldValue>, opts: CreateRecordOptions, origin: unknown): string {
  const id = opts.id ?? randomId()
  const records = recordsOf(doc)
  // a key holding something other than a record map counts as taken too: it is not ours to replace
  if (records.has(id)) throw new RecordError(`Record "${id}" already exists`)
  doc.transact(() => {
    const y: RecordMap = new Y.Map()
    records.set(id, y)
    y.set(META_CREATED_BY, opts.createdBy)
  }, SHELL_ORIGIN)
  doc.transact(() => {
    const y = recordOrThrow(doc, id)
    y.set(META_CREATED_AT, (opts.now ?? new Date()).toISOString())
    for (const [fieldId, value] of Object.entries(values)) if (value !== null && value !== undefined) y.set(fieldId, value)
  }, origin)
  return id
}

/** Origin of the untracked half of `createRecord`. */
export const SHELL_ORIGIN = Symbol('record-shell')

function recordOrThrow(doc: Y.Doc, id: string): RecordMap {
  const y = recordMapOf(recordsOf(doc), id)
  if (!y) throw new RecordError(`Unknown record "${id}"`)
  return y
}

export interface CellChange { recordId: string; fieldId: string; value: FieldValue }

/**
 * Sets cells in one transaction (one undo step). `null` clears a cell. Each value set is stamped
 * with `now` (editStamp.ts): in the same transaction, or, given a `stampOrigin` of its own (an
 * origin the undo history does not track), in a transaction right before it, so an undo neither
 * removes a stamp nor brings an older one back, as CompactRecordStore does.
 */
export function updateCells(doc: Y.Doc, changes: CellChange[], origin: unknown, now = new Date(), stampOrigin: unknown = origin): void {
  for (const c of changes) {
    recordOrThrow(doc, c.recordId)
    if (c.fieldId.startsWith('$')) throw new RecordError(`"${c.fieldId}" is not a field`)
  }
  const at = now.toISOString()
  // the keys the edit sets, each change read against the ones before it
  const planned = new Map<string, unknown>()
  const stamps: [string, string][] = []
  for (const { recordId, fieldId, value } of changes) {
    const k = `${recordId}\n${fieldId}`
    const current = planned.has(k) ? planned.get(k) : recordOrThrow(doc, recordId).get(fieldId)
    if (value === null || value === undefined) planned.set(k, undefined)
    else if (!sameValue(current, value)) {
      planned.set(k, value)
      stamps.push([recordId, fieldId])
    }
  }
  const write = () => {
    for (const { recordId, fieldId, value } of changes) {
      const y = recordOrThrow(doc, recordId)
      if (value === null || value === undefined) {
        // removals are not stamped (see CompactRecordStore.updateCells)
        if (y.has(fieldId)) y.delete(fieldId)
      } else if (!sameValue(y.get(fieldId), value)) {
        y.set(fieldId, value)
      }
    }
  }
  if (stampOrigin === origin) {
    doc.transact(() => { stampKeys(doc, stamps, at); write() }, origin)
    return
  }
  if (stamps.length) doc.transact(() => stampKeys(doc, stamps, at), stampOrigin)
  doc.transact(write, origin)
}

/** Stamps the keys an edit writes with its time (editStamp.ts). */
function stampKeys(doc: Y.Doc, keys: readonly (readonly [string, string])[], at: string): void {
  for (const [id, key] of keys) if (isStampedKey(key)) recordOrThrow(doc, id).set(editStampKey(key), at)
}

export function updateCell(doc: Y.Doc, recordId: string, fieldId: string, value: FieldValue, origin: unknown): void {
  updateCells(doc, [{ recordId, fieldId, value }], origin)
}

/** Soft-deletes records, noting who (`deletedBy`, a member id) beside the time for the trash. */
export function deleteRecords(doc: Y.Doc, ids: string[], origin: unknown, now = new Date(), deletedBy?: string, stampOrigin: unknown = origin): void {
  const ys = ids.map((id) => recordOrThrow(doc, id))
  const stamps = ids.map((id) => [id, META_DELETED_AT] as const)
  if (stampOrigin !== origin) doc.transact(() => stampKeys(doc, stamps, now.toISOString()), stampOrigin)
  doc.transact(() => {
    if (stampOrigin === origin) stampKeys(doc, stamps, now.toISOString())
    for (const y of ys) {
      y.set(META_DELETED_AT, now.toISOString())
      if (deletedBy) y.set(META_DELETED_BY, deletedBy)
    }
  }, origin)
}

export function restoreRecords(doc: Y.Doc, ids: string[], origin: unknown): void {
  const ys = ids.map((id) => recordOrThrow(doc, id))
  // checked before anything is written: a purged record has nothing left to bring back
  ids.forEach((id, k) => { if (ys[k]!.has(META_PURGED_AT)) throw new RecordError(`Record "${id}" was purged`) })
  const now = new Date().toISOString()
  doc.transact(() => {
    for (const y of ys) {
      if (y.has(META_DELETED_AT)) y.delete(META_DELETED_AT)
      if (y.has(META_DELETED_BY)) y.delete(META_DELETED_BY)
      if (!y.has(META_CREATED_AT)) y.set(META_CREATED_AT, now)
    }
  }, origin)
}

/**
 * Purges records for good: every key but `$createdBy` is removed (values, stamps, stage and
 * document entries, `$createdAt`, `$deletedAt`) and `$purgedAt` set, so the record is neither
 * live nor in the trash and its values are deleted items, whose content a garbage-collecting
 * Y.Doc (the relay's compaction, every client's next load) drops. Not an undo step: what is
 * purged is meant to be gone.
 */
export function purgeRecords(doc: Y.Doc, ids: string[], origin: unknown, now = new Date()): void {
  const ys = ids.map((id) => recordOrThrow(doc, id))
  doc.transact(() => {
    for (const y of ys) {
      for (const key of [...y.keys()]) if (key !== META_CREATED_BY) y.delete(key)
      y.set(META_PURGED_AT, now.toISOString())
    }
  }, origin)
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Live-row patches after every transaction: a soft delete is reported as `removed`, a restore
 * as `added`. Returns the cleanup.
 */
export function observeRows(doc: Y.Doc, listener: (patch: RowPatch, origin: unknown) => void): () => void {
  const records = recordsOf(doc)
  const live = new Set<string>()
  forEachRecord(records, (y, id) => { if (isLive(y)) live.add(id) })
  const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    const touched = new Set<string>()
    for (const e of events) {
      if (e.target === records) {
        for (const key of e.changes.keys.keys()) touched.add(key)
      } else {
        // a record map changed: its key in `records` is the record id (a change deeper down,
        // inside a nested type stored before layouts were checked, changes no row)
        const item = e.target._item
        if (item?.parentSub && item.parent === records) touched.add(item.parentSub)
      }
    }
    const patch: RowPatch = { added: [], updated: [], removed: [] }
    for (const id of touched) {
      const y = recordMapOf(records, id)
      if (y && isLive(y)) {
        ;(live.has(id) ? patch.updated : patch.added).push(toRow(id, y))
        live.add(id)
      } else if (live.has(id)) {
        live.delete(id)
        patch.removed.push(id)
      }
    }
    if (patch.added.length || patch.updated.length || patch.removed.length) listener(patch, tr.origin)
  }
  records.observeDeep(handler)
  return () => records.unobserveDeep(handler)
}
