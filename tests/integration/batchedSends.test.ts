import { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()

/** Counts the relay's socket writes per remote port (the relay runs in this process). */
function countWrites(): { to(port: number): number; restore(): void } {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>
  const write = proto._write
  const writev = proto._writev
  const counts = new Map<number, number>()
  const count = (socket: Socket) => {
    // the relay's side of a connection: its remote port is the client's local port
    if (socket.remotePort !== undefined) counts.set(socket.remotePort, (counts.get(socket.remotePort) ?? 0) + 1)
  }
  proto._write = function (this: Socket, ...args: unknown[]) { count(this); return write.apply(this, args) }
  proto._writev = function (this: Socket, ...args: unknown[]) { count(this); return writev.apply(this, args) }
  return {
    to: (port) => counts.get(port) ?? 0,
    restore() { proto._write = write; proto._writev = writev },
  }
}

let restore: (() => void) | null = null
afterEach(() => { restore?.(); restore = null })

describe('the relay sends what it has for a client in one write per task', () => {
  it('forwards a burst of 30 updates to a peer in a few writes, all of them, in order', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const url = `ws://127.0.0.1:${relay.port}/sync`
    const a = client(url, 'burst-doc', ADMIN_TOKEN)
    const b = client(url, 'burst-doc', ADMIN_TOKEN)
    await Promise.all([a.synced, b.synced])
    const rawA = (a.provider.ws as unknown as { _socket: Socket })._socket
    const rawB = (b.provider.ws as unknown as { _socket: Socket })._socket
    const list = b.doc.getArray<number>('burst')

    const writes = countWrites()
    restore = writes.restore
    // the 30 updates leave A in one TCP write, so the relay reads them at once and stores them
    // as one batch; each is its own websocket message to B
    rawA.cork()
    for (let i = 0; i < 30; i++) a.doc.getArray<number>('burst').push([i])
    rawA.uncork()
    await waitFor(() => list.length === 30, 'all 30 updates at B')

    expect(list.toArray()).toEqual(Array.from({ length: 30 }, (_, i) => i))
    // one write per message would be 30; a batch leaves in one (a few if TCP split A's burst)
    expect(writes.to(rawB.localPort!)).toBeGreaterThan(0)
    expect(writes.to(rawB.localPort!)).toBeLessThanOrEqual(5)
  })
})
