import * as Y from 'yjs'
import type { StoredRow } from '../storage/relayStorage'
import { frameSyncMessage, payloadOf, type FramedUpdate } from './frameMessage'
import { decodeIncoming, inspectDecoded, inspectUpdate, packInspection } from './inspectUpdate'
import { MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from './parseClientMessage'

/*
 * The expensive operations on a stored document — decode, merge, state vector, diff — as plain
 * functions on bytes. They run on the main thread for small documents and in a worker thread
 * (docWorker.ts) for big ones; results cross threads as the `*Wire` shapes below.
 */

/** A framed message as it crosses threads: the payload is its last `payloadLength` bytes. */
export interface FramedWire {
  message: Uint8Array
  payloadLength: number
}

export const toWire = (framed: FramedUpdate): FramedWire => ({ message: framed.message, payloadLength: framed.update.byteLength })
export const fromWire = (wire: FramedWire): FramedUpdate => payloadOf(wire.message, wire.payloadLength)

/** The first row of a document's log, framed as the sync step 2 a fresh client gets as is. */
export interface BaseWire {
  seq: number
  step2: FramedWire
  stateVector: Uint8Array
}

/** A later row, framed as a sync update message, with its contents for coverage. */
export interface TailWire {
  seq: number
  message: FramedWire
  inspection: Float64Array
}

export interface PreparedDocument {
  base: BaseWire | null
  tail: TailWire[]
  /** The base row had no stored state vector; this one was computed (store it). */
  computedStateVector: boolean
}

/** Frames payloads of at least this size in shared memory (posting them shares, not copies). */
export const SHARED_FRAME_BYTES = 64 * 1024

const share = (payload: Uint8Array) => payload.byteLength >= SHARED_FRAME_BYTES

/**
 * A loaded log as a room holds it: the first row as the base (framed once, with its state
 * vector — stored, or computed once), the other rows as tail updates with their contents.
 */
export function prepareDocument(rows: readonly StoredRow[]): PreparedDocument {
  const [first, ...rest] = rows
  if (!first) return { base: null, tail: [], computedStateVector: false }
  const stateVector = first.stateVector ?? Y.encodeStateVectorFromUpdate(first.update)
  return {
    base: { seq: first.seq, step2: toWire(frameSyncMessage(MESSAGE_SYNC, SYNC_STEP_2, first.update, share(first.update))), stateVector },
    tail: rest.map((row) => ({
      seq: row.seq,
      message: toWire(frameSyncMessage(MESSAGE_SYNC, SYNC_UPDATE, row.update, share(row.update))),
      inspection: packInspection(inspectUpdate(row.update)),
    })),
    computedStateVector: first.stateVector === null,
  }
}

/** What a client with `stateVector` lacks of `update`, framed as sync step 2. */
export function diffStep2(update: Uint8Array, stateVector: Uint8Array): FramedWire {
  return toWire(frameSyncMessage(MESSAGE_SYNC, SYNC_STEP_2, Y.diffUpdate(update, stateVector), false))
}

/**
 * Merges up to this size go through a Y.Doc, which drops the content of deleted items (as the
 * reference server's Y.Doc does); bigger ones are only merged: applying 18 MB takes seconds
 * and half a gigabyte.
 */
export const COLLECT_GARBAGE_MAX_BYTES = 4 * 1024 * 1024

/**
 * Base and tail merged into one update: the new base, framed, with its state vector. Without
 * collecting garbage a merged log keeps every value ever overwritten, so a small document that
 * is edited all day grows without end.
 */
export function mergeDocument(base: Uint8Array | null, tail: readonly Uint8Array[]): { step2: FramedWire; stateVector: Uint8Array; merged: Uint8Array } {
  const updates = base ? [base, ...tail] : [...tail]
  const bytes = updates.reduce((n, update) => n + update.byteLength, 0)
  let merged: Uint8Array
  if (bytes <= COLLECT_GARBAGE_MAX_BYTES) {
    const doc = new Y.Doc({ gc: true, guid: 'compaction' })
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update)
    })
    // Includes structs still waiting for missing ones (the store's pending part): nothing is lost.
    merged = Y.encodeStateAsUpdate(doc)
    doc.destroy()
  } else {
    merged = Y.mergeUpdates(updates)
  }
  const framed = frameSyncMessage(MESSAGE_SYNC, SYNC_STEP_2, merged, share(merged))
  return { step2: toWire(framed), stateVector: Y.encodeStateVectorFromUpdate(merged), merged: framed.update }
}

/** Validates an incoming update and frames it as the sync update message to forward. */
export function inspectIncoming(update: Uint8Array, decoded = decodeIncoming(update)): { message: FramedWire; inspection: Float64Array } {
  const inspection = packInspection(inspectDecoded(decoded))
  return { message: toWire(frameSyncMessage(MESSAGE_SYNC, SYNC_UPDATE, update, share(update))), inspection }
}
