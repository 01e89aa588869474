import * as encoding from 'lib0/encoding'
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from './parseClientMessage'

function frame(messageType: number, subType: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageType)
  if (subType !== null) encoding.writeVarUint(encoder, subType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1: our state vector; the client answers with what we lack. Also our acknowledgement. */
export const encodeSyncStep1 = (stateVector: Uint8Array) => frame(MESSAGE_SYNC, SYNC_STEP_1, stateVector)
/** Sync step 2: what the client lacks, answering its step 1. */
export const encodeSyncStep2 = (update: Uint8Array) => frame(MESSAGE_SYNC, SYNC_STEP_2, update)
export const encodeSyncUpdate = (update: Uint8Array) => frame(MESSAGE_SYNC, SYNC_UPDATE, update)
export const encodeAwarenessMessage = (update: Uint8Array) => frame(MESSAGE_AWARENESS, null, update)
