import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import type { BootReply } from '../../src/boot/bootProtocol'
import { readBootSnapshot } from '../../src/boot/bootReader'
import { makeEntityStore } from '../../src/crdt/entityStore'
import { readLiveRows } from '../../src/crdt/recordDoc'
import type { RowSnapshotHead } from '../../src/sync/workerProtocol'
import { ADMIN_TOKEN, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()
const parse = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown

describe("the boot worker's read of a first visit: the relay's snapshot, its first rows first", () => {
  it('posts the first 100 rows with the count as they arrive, the whole once the page wants it', async () => {
    const r = await startTestRelay()
    cleanups.push(() => r.close())
    const writer = client(r.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await writer.synced
    const store = makeEntityStore(writer.doc, 'contacts', 'admin')
    for (let i = 0; i < 150; i++) store.createRecord({ 'contacts.first_name': `Contact ${i}` })
    await waitFor(() => r.storage.lastSeq('entity-contacts') > 0, 'the relay to store the contacts')
    const live = readLiveRows(writer.doc)
    // the relay's snapshot catches up with the writes a moment later
    await expect.poll(async () => (await fetch(`${r.url}/api/snapshots/contacts`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).headers.get('x-kanso-snapshot-rows'), { timeout: 10_000 }).toBe('150')

    const replies: BootReply[] = []
    let rest!: () => void
    const asked = new Promise<void>((resolve) => (rest = resolve))
    const done = readBootSnapshot('contacts', ADMIN_TOKEN, {
      indexedDB: new IDBFactory(), // a first visit: nothing on this device
      fetch,
      origin: r.url,
      post: (reply) => replies.push(reply),
      whenRestWanted: () => asked,
    })
    await expect.poll(() => replies.length).toBe(1)
    const { head } = replies[0] as { head: RowSnapshotHead }
    expect(head.total).toBe(150)
    expect(head.version).toMatch(/^relay:/)
    expect(parse(head.bytes)).toEqual(live.slice(0, 100))

    rest()
    await done
    expect(replies).toHaveLength(2)
    const { full } = replies[1] as { full: RowSnapshotHead }
    expect(full.version).toBe(head.version)
    expect(parse(full.bytes)).toEqual(live)
  })

  it('posts nothing to paint for a refused token', async () => {
    const r = await startTestRelay()
    cleanups.push(() => r.close())
    const replies: BootReply[] = []
    await readBootSnapshot('contacts', 'not-a-member', {
      indexedDB: new IDBFactory(),
      fetch,
      origin: r.url,
      post: (reply) => replies.push(reply),
      whenRestWanted: () => Promise.resolve(),
    })
    expect(replies).toEqual([{ head: null }, { full: null }])
  })
})
