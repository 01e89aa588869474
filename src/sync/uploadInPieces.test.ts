import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { UpdatePiece } from '../crdt/splitUpdate'
import { UploadInPieces } from './uploadInPieces'

/** Pieces of 100 bytes of client 1, piece i reaching clock (i + 1) * 10. */
function pieces(count: number): UpdatePiece[] {
  return Array.from({ length: count }, (_, i) => ({ update: new Uint8Array(100).fill(i), ends: new Map([[1, (i + 1) * 10]]) }))
}

function upload(count: number, windowBytes = 250) {
  const sent: { index: number; first: boolean }[] = []
  let done = 0
  const u = new UploadInPieces(pieces(count)[Symbol.iterator](), {
    send: (update, first) => sent.push({ index: update[0]!, first }),
    windowBytes,
    stallMs: 5000,
    onDone: () => done++,
  })
  return { u, sent, done: () => done }
}

const relayAt = (clock: number) => new Map([[1, clock]])

describe('UploadInPieces', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('sends a window of pieces, the first as the answer, and the next ones as acknowledgements cover the earlier', () => {
    const { u, sent, done } = upload(6)
    u.start()
    expect(sent).toEqual([{ index: 0, first: true }, { index: 1, first: false }, { index: 2, first: false }])
    u.acknowledge(relayAt(10), true)
    expect(sent.map((s) => s.index)).toEqual([0, 1, 2, 3])
    u.acknowledge(relayAt(30), true)
    expect(sent.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(done()).toBe(0)
    u.acknowledge(relayAt(60), true)
    expect(done()).toBe(1)
    expect(sent).toHaveLength(6)
  })

  it('a state vector that did not move asks for more: the next piece goes beyond the window', () => {
    const { u, sent } = upload(6)
    u.start()
    u.acknowledge(relayAt(0), false)
    expect(sent.map((s) => s.index)).toEqual([0, 1, 2, 3])
  })

  it('with no acknowledgement for stallMs one more piece goes; once all are out, a stall ends the upload', () => {
    const { u, sent, done } = upload(4)
    u.start()
    expect(sent).toHaveLength(3)
    vi.advanceTimersByTime(5000)
    expect(sent).toHaveLength(4)
    expect(done()).toBe(0)
    vi.advanceTimersByTime(5000)
    expect(done()).toBe(1)
  })

  it('stop sends nothing more', () => {
    const { u, sent, done } = upload(6)
    u.start()
    u.stop()
    u.acknowledge(relayAt(30), true)
    vi.advanceTimersByTime(10_000)
    expect(sent).toHaveLength(3)
    expect(done()).toBe(0)
  })
})
