import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../relayLogger'
import { inlineDocumentWriter } from '../storage/documentWriter'
import { createMemoryStorage } from '../storage/memoryStorage'
import type { SyncRoom } from './syncRoom'
import { UpdateWriter, type PendingWrite, type WriteOwner } from './updateWriter'

describe('UpdateWriter', () => {
  it('forwards a whole batch (its sockets uncorked) before the relay’s own work on it runs', async () => {
    const storage = createMemoryStorage()
    const writer = new UpdateWriter(inlineDocumentWriter(storage), silentLogger)
    // the peer's socket: what was written reaches it only when uncorked
    const received: string[] = []
    const socket = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString())
        done()
      },
    })
    const events: string[] = []
    // the writer only counts a room's pending writes and reads its name
    const room = { name: 'entity-contacts', pendingWrites: 0 } as SyncRoom
    const owner = (label: string): WriteOwner => ({
      stored: () => {
        writer.sends.cork(socket)
        socket.write(label)
        events.push(`forward ${label}`)
      },
      afterStored: () => events.push(`hook ${label} (peer has: ${received.join(',') || 'nothing'})`),
      storeFailed: () => events.push(`failed ${label}`),
    })
    const write = (label: string, byte: number): PendingWrite => {
      const message = new Uint8Array([0, 2, 1, byte])
      return { room, inspection: { clocks: [], deletes: [] } as unknown as PendingWrite['inspection'], owner: owner(label), message, update: message.subarray(3) }
    }
    writer.enqueue(write('a', 1))
    writer.enqueue(write('b', 2))
    await writer.settled()
    await new Promise((resolve) => setImmediate(resolve))
    expect(events).toEqual(['forward a', 'forward b', 'hook a (peer has: a,b)', 'hook b (peer has: a,b)'])
    expect(storage.loadDocument('entity-contacts')).toHaveLength(2)
    expect(room.pendingWrites).toBe(0)
  })

  it('runs the relay’s own work on a stored update even when forwarding it threw', async () => {
    const storage = createMemoryStorage()
    const writer = new UpdateWriter(inlineDocumentWriter(storage), silentLogger)
    const room = { name: 'entity-contacts', pendingWrites: 0 } as SyncRoom
    const events: string[] = []
    const message = new Uint8Array([0, 2, 1, 7])
    writer.enqueue({
      room,
      inspection: { clocks: [], deletes: [] } as unknown as PendingWrite['inspection'],
      message,
      update: message.subarray(3),
      owner: {
        stored: () => {
          throw new Error('socket gone')
        },
        afterStored: (_write, seq) => events.push(`hook ${seq}`),
        storeFailed: () => events.push('failed'),
      },
    })
    await writer.settled()
    expect(events).toEqual(['hook 1'])
    expect(storage.loadDocument('entity-contacts')).toHaveLength(1)
  })
})
