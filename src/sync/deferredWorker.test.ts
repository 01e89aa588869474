import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { deferWorker } from './deferredWorker'

type Msg = { type: 'init' | 'open' | 'intent'; n: number }

/** A real message channel: what is posted to the deferred side arrives, in order, at `received`. */
function channel() {
  const { port1, port2 } = new MessageChannel()
  const received: Msg[] = []
  port2.on('message', (m: Msg) => received.push(m))
  let created = 0
  const create = () => {
    created++
    return { postMessage: (m: Msg, t: Transferable[]) => port1.postMessage(m, t as never), close: () => { port1.close(); port2.close() } }
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 20))
  return { create, received, flush, created: () => created, port: port2 as MessagePort }
}

describe('deferWorker (the workspace worker starts when first needed)', () => {
  it('creates nothing for messages that may wait, then posts them in order on start', async () => {
    const c = channel()
    const w = deferWorker<Msg>(c.create, (m) => m.type === 'init')
    w.post({ type: 'init', n: 1 })
    w.post({ type: 'init', n: 2 })
    await c.flush()
    expect(c.created()).toBe(0)
    expect(w.started()).toBe(false)
    w.start()
    w.start()
    w.post({ type: 'init', n: 3 })
    await c.flush()
    expect(c.created()).toBe(1)
    expect(c.received.map((m) => m.n)).toEqual([1, 2, 3])
    w.terminate()
  })

  it('starts at once for a message that cannot wait, after what was kept before it', async () => {
    const c = channel()
    const w = deferWorker<Msg>(c.create, (m) => m.type === 'init')
    w.post({ type: 'init', n: 1 })
    w.post({ type: 'open', n: 2 })
    expect(w.started()).toBe(true)
    w.post({ type: 'intent', n: 3 })
    await c.flush()
    expect(c.received.map((m) => m.n)).toEqual([1, 2, 3])
    w.terminate()
  })

  it('transfers kept buffers when it starts', async () => {
    const c = channel()
    const w = deferWorker<Msg & { bytes?: Uint8Array }>(c.create, () => true)
    const bytes = new Uint8Array([1, 2, 3])
    w.post({ type: 'open', n: 1, bytes }, [bytes.buffer])
    expect(bytes.byteLength).toBe(3)
    w.start()
    expect(bytes.byteLength).toBe(0)
    await c.flush()
    expect(Array.from((c.received[0] as Msg & { bytes: Uint8Array }).bytes)).toEqual([1, 2, 3])
    w.terminate()
  })

  it('never starts once terminated', async () => {
    const c = channel()
    const w = deferWorker<Msg>(c.create, () => true)
    w.post({ type: 'init', n: 1 })
    w.terminate()
    w.start()
    w.post({ type: 'open', n: 2 })
    expect(c.created()).toBe(0)
    expect(w.started()).toBe(false)
  })
})
