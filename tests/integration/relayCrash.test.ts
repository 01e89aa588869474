import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ADMIN_TOKEN, connectClient, makeTempDir, sleep, spawnRelay, type TestClient, useTestScope, setCell } from './relayTestKit'

const { cleanups } = useTestScope()

describe('relay killed with SIGKILL', () => {
  it('loses no update it has forwarded', async () => {
    const dataDir = makeTempDir()
    const first = await spawnRelay(dataDir)
    cleanups.push(() => first.child.kill('SIGKILL'))
    const syncUrl = `ws://127.0.0.1:${first.port}/sync`
    const clients: TestClient[] = []
    cleanups.push(() => clients.forEach((c) => c.destroy()))
    const a = connectClient(syncUrl, 'entity-contacts', ADMIN_TOKEN)
    const b = connectClient(syncUrl, 'entity-contacts', ADMIN_TOKEN)
    clients.push(a, b)
    await Promise.all([a.synced, b.synced])

    // Everything B receives went through the relay, so the relay had stored it first.
    const received: Uint8Array[] = []
    b.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === b.provider) received.push(update)
    })

    // A edits in bursts; the relay is killed mid-stream and A keeps editing for a few bursts.
    let killed = false
    let burstsAfterKill = 0
    let edits = 0
    while (burstsAfterKill < 3) {
      for (let i = 0; i < 20; i++) setCell(a.doc, `k${edits++}`, { i, text: 'x'.repeat(i * 10) })
      await sleep(2)
      if (killed) burstsAfterKill++
      else if (received.length >= 150) {
        first.child.kill('SIGKILL')
        killed = true
      }
      if (edits > 20_000) throw new Error('B never received 150 updates')
    }
    expect(killed).toBe(true)
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)))
    a.provider.disconnect()
    b.provider.disconnect()
    expect(received.length).toBeGreaterThanOrEqual(150)
    expect(edits).toBeGreaterThan(received.length)

    const witnessed = new Y.Doc()
    for (const update of received) Y.applyUpdate(witnessed, update)

    const second = await spawnRelay(dataDir)
    cleanups.push(() => second.child.kill('SIGKILL'))
    const fresh = connectClient(`ws://127.0.0.1:${second.port}/sync`, 'entity-contacts', ADMIN_TOKEN)
    clients.push(fresh)
    await fresh.synced

    const have = Y.decodeStateVector(Y.encodeStateVector(fresh.doc))
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(witnessed))) {
      expect(have.get(client) ?? 0, `clock of client ${client}`).toBeGreaterThanOrEqual(clock)
    }
    const restored = fresh.doc.getMap('records').toJSON()
    const seen = witnessed.getMap('records').toJSON()
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(150)
    for (const [key, value] of Object.entries(seen)) expect(restored[key], key).toEqual(value)
  })
})
