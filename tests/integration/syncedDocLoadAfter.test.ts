import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { readSchema } from '../../src/crdt/schemaDoc'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { SyncedDoc, type SyncedDocOptions } from '../../src/sync/syncedDoc'
import { ADMIN_TOKEN, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

// SyncedDoc's y-websocket provider uses the global WebSocket, as in the browser.
;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket

const { cleanups, client } = useTestScope()
let unique = 0

function open(syncUrl: string, extra: Partial<SyncedDocOptions> = {}): SyncedDoc {
  unique++
  const doc = new SyncedDoc({
    name: SCHEMA_DOC, syncUrl, token: ADMIN_TOKEN,
    storePrefix: `kanso-load-after-${unique}-`, meta: openKeyValueStore(`kanso-load-after-meta-${unique}`),
    ...extra,
  })
  cleanups.push(() => doc.destroy())
  return doc
}

describe('SyncedDoc with loadAfter (the schema document waits for the first rows)', () => {
  it('neither reads IndexedDB nor connects until loadAfter settles, then loads, syncs and keeps what was written meanwhile', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const syncUrl = `ws://127.0.0.1:${relay.port}/sync`
    let release!: () => void
    const doc = open(syncUrl, { loadAfter: new Promise<void>((r) => { release = r }) })

    await sleep(200)
    expect(doc.persistence).toBeNull()
    expect(doc.provider.wsconnected || doc.provider.wsconnecting).toBe(false)
    expect(doc.getStatus().state).toBe('connecting')
    // an edit made before the load (e.g. a field added in the first second) is not lost
    doc.doc.getMap('entities').set('early', new Y.Map([['label', 'kept']]))

    release()
    await doc.whenLocal
    expect(doc.persistence).not.toBeNull()
    await doc.whenSynced
    // the relay's seeded schema arrived, and the early edit is still there
    expect(readSchema(doc.doc).entities.map((e) => e.id)).toContain('contacts')
    expect((doc.doc.getMap('entities').get('early') as Y.Map<unknown> | undefined)?.get('label')).toBe('kept')

    // …and reached the relay: another client sees it
    const other = client(syncUrl, SCHEMA_DOC, ADMIN_TOKEN)
    await other.synced
    await waitFor(() => (other.doc.getMap('entities').get('early') as Y.Map<unknown> | undefined)?.get('label') === 'kept', 'the early edit at another client')
  })

  it('loads when loadAfter rejects, and never when destroyed before it settles', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const syncUrl = `ws://127.0.0.1:${relay.port}/sync`
    const rejected = open(syncUrl, { loadAfter: Promise.reject(new Error('no rows shown')) })
    await rejected.whenLocal
    await rejected.whenSynced
    expect(readSchema(rejected.doc).entities.length).toBeGreaterThan(0)

    let release!: () => void
    const gone = open(syncUrl, { loadAfter: new Promise<void>((r) => { release = r }) })
    gone.destroy()
    release()
    await sleep(100)
    expect(gone.persistence).toBeNull()
    expect(gone.provider.wsconnected || gone.provider.wsconnecting).toBe(false)
  })
})
