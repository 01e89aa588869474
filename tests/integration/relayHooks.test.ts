import { afterAll, describe, expect, it } from 'vitest'
import { CLOSE_UNAUTHORIZED } from '../../server/closeCodes'
import { connectClient, rawSocket, removeTempDirs, seedWithEntities, startTestRelay, waitFor, setCell } from './relayTestKit'

afterAll(removeTempDirs)

describe('relay hooks', () => {
  it('onAuthenticate (async) replaces the token lookup; onConnect, afterStoreUpdate and onDisconnect see the member', async () => {
    const events: string[] = []
    const relay = await startTestRelay({
      seedSchema: seedWithEntities('notes'),
      hooks: {
        onAuthenticate: async ({ token, documentName }) => {
          await new Promise((r) => setTimeout(r, 20)) // messages sent meanwhile are queued
          return token === 'let-me-in' ? { id: 'ext-1', name: `External on ${documentName}`, role: 'editor', createdAt: '2026-01-01T00:00:00.000Z' } : null
        },
        onConnect: ({ documentName, member }) => events.push(`connect ${member.id} ${documentName}`),
        afterStoreUpdate: ({ documentName, seq }) => events.push(`stored ${documentName} ${seq > 0}`),
        onDisconnect: ({ member, code }) => events.push(`disconnect ${member.id} ${code}`),
      },
    })
    try {
      const refused = rawSocket(`${relay.syncUrl}/schema?token=nope`)
      expect((await refused.closed).code).toBe(CLOSE_UNAUTHORIZED)

      const c = connectClient(relay.syncUrl, 'entity-notes', 'let-me-in')
      await c.synced
      setCell(c.doc, 'n', 1)
      await waitFor(() => events.includes('stored entity-notes true'), 'afterStoreUpdate')
      c.destroy()
      await waitFor(() => events.some((e) => e.startsWith('disconnect ext-1')), 'onDisconnect')
      expect(events[0]).toBe('connect ext-1 entity-notes')
      // a member that is not in storage is never swept as revoked
      relay.sync.sweepRevoked()
    } finally {
      await relay.close()
    }
  })
})
