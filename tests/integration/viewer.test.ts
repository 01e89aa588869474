import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMember } from '../../server/auth/createMember'
import { ADMIN_TOKEN, makeTempDir, sleep, startTestRelay, waitFor, useTestScope, cell, setCell } from './relayTestKit'

const { cleanups, client } = useTestScope()

function storedState(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

describe('viewers', () => {
  it('read everything, but their edits reach neither storage nor other clients, even after a restart', async () => {
    const dataDir = makeTempDir()
    const relay = await startTestRelay({ dataDir })
    const { token: viewerToken } = createMember(relay.storage, { name: 'Vera', role: 'viewer' })
    const editor = client(relay.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await editor.synced
    setCell(editor.doc, 'shared', 'by editor')

    const viewer = client(relay.syncUrl, 'entity-contacts', viewerToken)
    await viewer.synced
    await waitFor(() => cell(viewer.doc, 'shared') === 'by editor', 'viewer reads')

    setCell(viewer.doc, 'sneaky', 'by viewer')
    setCell(viewer.doc, 'shared', 'overwritten by viewer')
    // the editor keeps working, and its edits still reach the viewer: the viewer stays connected
    setCell(editor.doc, 'later', 'by editor')
    await waitFor(() => cell(viewer.doc, 'later') === 'by editor', 'viewer still receives')
    await sleep(100)
    expect(cell(editor.doc, 'sneaky')).toBeUndefined()
    expect(cell(editor.doc, 'shared')).toBe('by editor')
    expect(viewer.provider.wsconnected).toBe(true)

    // a viewer's reconnect re-sends its local edits in sync step 2: still ignored
    viewer.provider.disconnect()
    viewer.provider.connect()
    await waitFor(() => viewer.provider.synced, 'viewer resynced')
    await sleep(100)

    const stored = storedState(relay.storage.loadDocument('entity-contacts'))
    expect(stored.getMap('records').toJSON()).toEqual({ shared: { v: 'by editor' }, later: { v: 'by editor' } })
    editor.destroy()
    viewer.destroy()
    await relay.close()

    const again = await startTestRelay({ dataDir })
    cleanups.push(() => again.close())
    const fresh = client(again.syncUrl, 'entity-contacts', ADMIN_TOKEN)
    await fresh.synced
    expect(fresh.doc.getMap('records').toJSON()).toEqual({ shared: { v: 'by editor' }, later: { v: 'by editor' } })
  })

  it('viewer presence (awareness) is forwarded', async () => {
    const relay = await startTestRelay()
    cleanups.push(() => relay.close())
    const { token } = createMember(relay.storage, { name: 'Vic', role: 'viewer' })
    const editor = client(relay.syncUrl, 'schema', ADMIN_TOKEN)
    const viewer = client(relay.syncUrl, 'schema', token)
    await Promise.all([editor.synced, viewer.synced])
    viewer.provider.awareness.setLocalStateField('user', { name: 'Vic' })
    await waitFor(() => editor.provider.awareness.getStates().has(viewer.doc.clientID), 'editor sees the viewer')
  })
})
