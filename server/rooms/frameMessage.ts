import * as encoding from 'lib0/encoding'

/** A framed y-websocket message and where its payload (a Yjs update) starts in it. */
export interface FramedUpdate {
  /** `[messageType][syncType][length][payload]`, ready to send as is. */
  message: Uint8Array
  /** The payload: a view into `message`, not a copy. */
  update: Uint8Array
}

/**
 * Frames a sync message around `payload` with one copy. With `shared`, the bytes live in a
 * SharedArrayBuffer, so posting them between threads shares instead of copying — for
 * multi-megabyte documents that the main thread must never copy.
 */
export function frameSyncMessage(messageType: number, syncType: number, payload: Uint8Array, shared: boolean): FramedUpdate {
  const header = encoding.createEncoder()
  encoding.writeVarUint(header, messageType)
  encoding.writeVarUint(header, syncType)
  encoding.writeVarUint(header, payload.byteLength)
  const head = encoding.toUint8Array(header)
  const size = head.byteLength + payload.byteLength
  const message = shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size)
  message.set(head, 0)
  message.set(payload, head.byteLength)
  return { message, update: message.subarray(head.byteLength) }
}

/** The payload view of a framed message whose payload is its last `payloadLength` bytes. */
export function payloadOf(message: Uint8Array, payloadLength: number): FramedUpdate {
  return { message, update: message.subarray(message.byteLength - payloadLength) }
}
