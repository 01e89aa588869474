import type { Writable } from 'node:stream'

/**
 * Sockets written to while a batch of stored updates is forwarded stay corked until the whole
 * batch went out: a peer that gets several of the batch's updates gets them in one write, one
 * syscall, instead of one per update. Those syscalls (writev to loopback) were most of the
 * relay's CPU under B9's load. Nothing waits: the batch is forwarded synchronously and every
 * socket is uncorked at its end.
 */
export class CorkedSends {
  private corked: Set<Writable> | null = null

  /** Runs `forward`, then uncorks what was corked meanwhile (nested batches join the outer one). */
  batch(forward: () => void): void {
    if (this.corked) {
      forward()
      return
    }
    const corked = new Set<Writable>()
    this.corked = corked
    try {
      forward()
    } finally {
      this.corked = null
      for (const socket of corked) socket.uncork()
    }
  }

  /** Before a write to `socket`: corks it for the rest of the batch, if one is being forwarded. */
  cork(socket: Writable): void {
    if (!this.corked || this.corked.has(socket)) return
    socket.cork()
    this.corked.add(socket)
  }
}
