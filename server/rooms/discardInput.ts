import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * After our close frame, reads what the client still sends only to throw it away, so that the
 * connection ends cleanly (the client gets our close code, we see its end) without `ws` parsing
 * the rest of a flood: a flooder leaves megabytes queued, and parsing tens of thousands of frames
 * at once stalled the event loop for ~0.5 s. Reaches into `ws`'s socket, as pausing it does.
 */
export function discardInput(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket
  if (!raw || raw.destroyed) return
  raw.removeAllListeners('data')
  raw.on('data', () => {})
  raw.resume()
}
