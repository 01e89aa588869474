import 'fake-indexeddb/auto'
import { join } from 'node:path'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { readLiveRows } from '../../src/crdt/recordDoc'
import { CompactSyncedDoc, type CompactSyncedDocOptions } from '../../src/sync/compactSyncedDoc'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { cellsToCarry, CLOSE_WORKSPACE_RESTORED } from '../../src/sync/workspaceEpoch'
import { CLOSE_WORKSPACE_RESTORED as RELAY_CLOSE_WORKSPACE_RESTORED } from '../../server/closeCodes'
import { restoreBackup } from '../../server/backup/restoreBackup'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const { cleanups, client } = useTestScope()
const DOC = 'entity-contacts'
const now = new Date('2026-12-06T10:00:00Z')
let unique = 0

function browser(syncUrl: string, epoch: string): CompactSyncedDoc {
  unique++
  const options: CompactSyncedDocOptions = {
    name: DOC, syncUrl, token: ADMIN_TOKEN, epoch,
    storePrefix: `kanso-restore-${unique}-`, meta: openKeyValueStore(`kanso-restore-meta-${unique}`),
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, maxBackoffMs: 200,
  }
  const doc = new CompactSyncedDoc(options)
  cleanups.push(() => doc.destroy())
  return doc
}

describe('a browser offline during a restore (issue 18), with the app\'s sync code', () => {
  it('is refused with 4409 instead of merging its copy back, and its reloaded copy holds exactly the restored records', async () => {
    expect(CLOSE_WORKSPACE_RESTORED).toBe(RELAY_CLOSE_WORKSPACE_RESTORED)
    const data = makeTempDir()
    const relay = await startTestRelay({ dataDir: data })
    const tab = browser(relay.syncUrl, relay.epoch)
    await tab.whenSynced
    tab.createRecord({ 'contacts.last_name': 'Before' }, { id: 'before', createdBy: 'm1', now })
    await waitFor(() => tab.getStatus().pending === 0 && relay.storage.lastSeq(DOC) > 0, 'the first record stored')
    const file = join(makeTempDir(), 'backup.sqlite')
    await relay.backup(file)
    // after the backup: a record made and the first one deleted, both synced; then the tab goes offline
    tab.createRecord({ 'contacts.last_name': 'After' }, { id: 'after', createdBy: 'm1', now })
    tab.deleteRecords(['before'], now)
    await waitFor(() => tab.getStatus().state === 'synced' && tab.getStatus().pending === 0, 'the later edits synced')
    tab.goOffline()
    // offline: a cell of a record the backup has (deleted here since), and a new record
    tab.createRecord({ 'contacts.last_name': 'Offline' }, { id: 'offline', createdBy: 'm1', now })
    tab.restoreRecords(['before'], now)
    tab.updateCells([{ recordId: 'before', fieldId: 'contacts.first_name', value: 'Ada' }])
    const unsent = tab.unsentCells()
    expect(unsent).toEqual(expect.arrayContaining([{ recordId: 'before', fieldId: 'contacts.first_name', value: 'Ada' }, { recordId: 'offline', fieldId: 'contacts.last_name', value: 'Offline' }]))
    // what the relay had confirmed is not unsent
    expect(unsent.filter((c) => c.recordId === 'after')).toEqual([])
    await relay.close()

    restoreBackup(file, join(data, 'kanso.sqlite'))
    const restored = await startTestRelay({ dataDir: data, port: relay.port })
    try {
      tab.goOnline()
      await waitFor(() => tab.getStatus().state === 'refused', 'the stale tab refused')
      expect(tab.getStatus().closeCode).toBe(CLOSE_WORKSPACE_RESTORED)
      const reader = client(restored.syncUrl, DOC, ADMIN_TOKEN)
      await reader.synced
      // neither resurrected ('after') nor deleted again ('before')
      expect(readLiveRows(reader.doc).map((r) => r.id)).toEqual(['before'])
      const reloaded = browser(restored.syncUrl, restored.epoch)
      await reloaded.whenSynced
      expect(reloaded.store.rows().map((r) => r.id)).toEqual(['before'])
      // the unsent edit of a record the restored workspace has is set again; the new record's are not
      const carried = cellsToCarry(unsent, (id) => reloaded.store.row(id) !== undefined)
      expect(carried).toEqual([{ recordId: 'before', fieldId: 'contacts.first_name', value: 'Ada' }])
      reloaded.updateCells(carried)
      await waitFor(() => reloaded.getStatus().pending === 0, 'the carried edit synced')
      const again = client(restored.syncUrl, DOC, ADMIN_TOKEN)
      await again.synced
      expect(readLiveRows(again.doc).map((r) => [r.id, r.values['contacts.first_name'], r.values['contacts.last_name']])).toEqual([['before', 'Ada', 'Before']])
    } finally {
      await restored.close()
    }
  })
})
