import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups } = useTestScope()

/** A websocket to the relay that records when it was pinged; with `answer: false` it never pongs. */
function pingedSocket(url: string, answer: boolean) {
  const socket = new WebSocket(url, { autoPong: answer })
  const pings: number[] = []
  socket.on('ping', () => pings.push(performance.now()))
  socket.on('error', () => {})
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return { socket, pings, opened, closed }
}

describe('ping sweep', () => {
  it('pings each connection once per interval, a slice of them per second; one that never answers is dropped, the others stay', async () => {
    const relay = await startTestRelay({ sync: { pingIntervalMs: 2000 } })
    cleanups.push(() => relay.close())
    const url = `${relay.syncUrl}/entity-contacts?token=${ADMIN_TOKEN}`
    const answering = [pingedSocket(url, true), pingedSocket(url, true), pingedSocket(url, true), pingedSocket(url, true)]
    const silent = pingedSocket(url, false)
    const all = [...answering, silent]
    cleanups.push(() => all.forEach((s) => s.socket.terminate()))
    await Promise.all(all.map((s) => s.opened))
    await waitFor(() => answering.every((s) => s.pings.length >= 2), 'two pings to every answering connection', 8000)
    // one ping per interval to each (not one per tick)
    for (const s of answering) expect(s.pings[1]! - s.pings[0]!).toBeGreaterThan(1500)
    // the connections are spread over the interval's two slices: not all pinged in one tick
    const firsts = answering.map((s) => s.pings[0]!).sort((a, b) => a - b)
    expect(firsts.at(-1)! - firsts[0]!).toBeGreaterThan(500)
    // no pong to its ping: dropped at its next turn; the answering ones are still open
    await silent.closed
    expect(silent.pings.length).toBeGreaterThanOrEqual(1)
    for (const s of answering) expect(s.socket.readyState).toBe(WebSocket.OPEN)
  }, 15_000)
})
