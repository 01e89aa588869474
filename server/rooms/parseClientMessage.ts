import * as decoding from 'lib0/decoding'
import { MalformedMessageError } from './malformedMessageError'
import { expectEnd, readBytes, readString, readUint } from './readFrame'

/** y-websocket message types (first varUint of every message). */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

/** y-protocols/sync message types (second varUint of a sync message). */
export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/**
 * Bounds on presence: a connection sets one state, so a message listing more clients than any
 * room holds, or a state bigger than a name, a view and a cell need, is refused (CLOSE_MALFORMED)
 * before anything in it is read. The relay never sends more entries than this in one message
 * (see RoomAwareness), so a stock client sending back what it received stays within it.
 */
export const MAX_AWARENESS_ENTRIES = 1000
export const MAX_AWARENESS_STATE_BYTES = 4096

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The state as JSON text, exactly as sent; `'null'` means the client left. */
  state: string
}

export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array; clocks: Map<number, number> }
  | { type: 'syncStep2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'queryAwareness' }

/**
 * Checks the framing of one message from a y-websocket client and returns its parts. Yjs
 * updates inside are only framed here; `inspectUpdate` decodes them. Throws
 * MalformedMessageError naming what is wrong.
 */
export function parseClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data)
  const messageType = readUint(decoder, 'message type')
  switch (messageType) {
    case MESSAGE_SYNC:
      return parseSync(decoder)
    case MESSAGE_AWARENESS: {
      const update = readBytes(decoder, 'awareness update')
      expectEnd(decoder, 'awareness message')
      return { type: 'awareness', entries: parseAwarenessUpdate(update) }
    }
    case MESSAGE_QUERY_AWARENESS:
      expectEnd(decoder, 'query-awareness message')
      return { type: 'queryAwareness' }
    default:
      throw new MalformedMessageError(`unknown message type ${messageType}`)
  }
}

function parseSync(decoder: decoding.Decoder): ClientMessage {
  const syncType = readUint(decoder, 'sync message type')
  switch (syncType) {
    case SYNC_STEP_1: {
      const stateVector = readBytes(decoder, 'state vector')
      expectEnd(decoder, 'sync step 1')
      return { type: 'syncStep1', stateVector, clocks: parseStateVector(stateVector) }
    }
    case SYNC_STEP_2: {
      const update = readBytes(decoder, 'update')
      expectEnd(decoder, 'sync step 2')
      return { type: 'syncStep2', update }
    }
    case SYNC_UPDATE: {
      const update = readBytes(decoder, 'update')
      expectEnd(decoder, 'sync update')
      return { type: 'update', update }
    }
    default:
      throw new MalformedMessageError(`unknown sync message type ${syncType}`)
  }
}

export function parseStateVector(bytes: Uint8Array): Map<number, number> {
  const decoder = decoding.createDecoder(bytes)
  const count = readUint(decoder, 'state vector size')
  if (count > bytes.length) throw new MalformedMessageError(`state vector claims ${count} entries in ${bytes.length} bytes`)
  const clocks = new Map<number, number>()
  for (let i = 0; i < count; i++) {
    const client = readUint(decoder, 'state vector client')
    clocks.set(client, readUint(decoder, 'state vector clock'))
  }
  expectEnd(decoder, 'state vector')
  return clocks
}

export function parseAwarenessUpdate(bytes: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(bytes)
  const count = readUint(decoder, 'awareness entry count')
  if (count > bytes.length) throw new MalformedMessageError(`awareness update claims ${count} entries in ${bytes.length} bytes`)
  if (count > MAX_AWARENESS_ENTRIES) throw new MalformedMessageError(`awareness update has ${count} entries; at most ${MAX_AWARENESS_ENTRIES}`)
  const entries: AwarenessEntry[] = []
  // States are read as JSON only when kept (stampPresenceUser): most entries are other
  // clients' states that a stock client sends back, and they are dropped unread.
  for (let i = 0; i < count; i++) {
    const clientId = readUint(decoder, 'awareness client id')
    const clock = readUint(decoder, 'awareness clock')
    const state = readString(decoder, 'awareness state', MAX_AWARENESS_STATE_BYTES)
    entries.push({ clientId, clock, state })
  }
  expectEnd(decoder, 'awareness update')
  return entries
}
