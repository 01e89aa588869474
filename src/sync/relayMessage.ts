import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/*
 * The y-websocket wire format (y-websocket.js + y-protocols/sync.js and auth.js), without a
 * Y.Doc: a varUint message type, for sync a varUint sub-type, then a varUint8Array payload.
 */

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

const AUTH_PERMISSION_DENIED = 0

export type RelayMessage =
  /** The relay's state vector: on connect, and as the acknowledgement of our updates. */
  | { type: 'syncStep1'; stateVector: Uint8Array }
  /** What we lacked, answering our step 1. */
  | { type: 'syncStep2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness' }
  | { type: 'queryAwareness' }
  | { type: 'permissionDenied'; reason: string }
  | { type: 'unknown'; messageType: number }

/** Decodes one message from the relay; throws on truncated bytes (lib0 decoding errors). */
export function readRelayMessage(data: Uint8Array): RelayMessage {
  const decoder = decoding.createDecoder(data)
  const messageType = decoding.readVarUint(decoder)
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (syncType === SYNC_STEP_1) return { type: 'syncStep1', stateVector: payload }
      if (syncType === SYNC_STEP_2) return { type: 'syncStep2', update: payload }
      if (syncType === SYNC_UPDATE) return { type: 'update', update: payload }
      return { type: 'unknown', messageType }
    }
    case MESSAGE_AWARENESS:
      return { type: 'awareness' }
    case MESSAGE_QUERY_AWARENESS:
      return { type: 'queryAwareness' }
    case MESSAGE_AUTH:
      if (decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED) return { type: 'permissionDenied', reason: decoding.readVarString(decoder) }
      return { type: 'unknown', messageType }
    default:
      return { type: 'unknown', messageType }
  }
}

function syncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, subType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Our state vector: the relay answers with a step 2 holding what we lack. */
export const encodeSyncStep1 = (stateVector: Uint8Array) => syncMessage(SYNC_STEP_1, stateVector)
/** What the relay lacks, answering its step 1. */
export const encodeSyncStep2 = (update: Uint8Array) => syncMessage(SYNC_STEP_2, update)
export const encodeSyncUpdate = (update: Uint8Array) => syncMessage(SYNC_UPDATE, update)

/**
 * An awareness update saying `clientId` has no state. The relay echoes awareness to the sender,
 * so sending one now and then proves the connection alive without showing anyone as present.
 */
export function encodeAwarenessHeartbeat(clientId: number, clock: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, 1)
  encoding.writeVarUint(update, clientId)
  encoding.writeVarUint(update, clock)
  encoding.writeVarString(update, 'null')
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update))
  return encoding.toUint8Array(encoder)
}
