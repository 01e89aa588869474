import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { CorkedSends } from './corkedSends'

/** A real stream that records each write call it gets from the stream machinery (one per syscall on a socket). */
function recordingSocket() {
  const calls: string[][] = []
  const socket = new Writable({
    writev(chunks, done) {
      calls.push(chunks.map(({ chunk }) => String(chunk)))
      done()
    },
    write(chunk, _encoding, done) {
      calls.push([String(chunk)])
      done()
    },
  })
  return { socket, calls }
}

describe('CorkedSends', () => {
  it('sends what a batch wrote to one socket in one write, in order, once the batch is done', () => {
    const sends = new CorkedSends()
    const a = recordingSocket()
    const b = recordingSocket()
    sends.batch(() => {
      for (const text of ['1', '2', '3']) {
        sends.cork(a.socket)
        a.socket.write(text)
      }
      sends.cork(b.socket)
      b.socket.write('x')
      expect(a.calls).toEqual([])
    })
    expect(a.calls).toEqual([['1', '2', '3']])
    expect(b.calls).toEqual([['x']])
    expect(a.socket.writableCorked).toBe(0)
  })

  it('corks nothing outside a batch, and a nested batch joins the outer one', () => {
    const sends = new CorkedSends()
    const a = recordingSocket()
    sends.cork(a.socket)
    a.socket.write('alone')
    expect(a.calls).toEqual([['alone']])
    sends.batch(() => {
      sends.batch(() => {
        sends.cork(a.socket)
        a.socket.write('inner')
      })
      expect(a.calls).toHaveLength(1)
      sends.cork(a.socket)
      a.socket.write('outer')
    })
    expect(a.calls).toEqual([['alone'], ['inner', 'outer']])
  })

  it('uncorks every socket even when forwarding throws', () => {
    const sends = new CorkedSends()
    const a = recordingSocket()
    expect(() => sends.batch(() => {
      sends.cork(a.socket)
      a.socket.write('kept')
      throw new Error('a peer failed')
    })).toThrow('a peer failed')
    expect(a.calls).toEqual([['kept']])
  })
})
