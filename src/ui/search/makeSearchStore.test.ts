import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../../domain/defaultSchema'
import type { Row } from '../../domain/schema'
import { RemoteEntityStore } from '../../sync/remoteEntityStore'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { makeSearchStore } from './makeSearchStore'

const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1' })

/** A session whose lists are the page's real RemoteEntityStores (no worker behind them): what the search store reads. */
function sessionWith(stores: Map<string, RemoteEntityStore>): { session: WorkspaceSession; asked: string[] } {
  const asked: string[] = []
  const session = {
    entity: (id: string) => {
      asked.push(id)
      let store = stores.get(id)
      if (!store) stores.set(id, (store = new RemoteEntityStore(id, [], 'm1', () => undefined)))
      return Promise.resolve(store)
    },
  } as unknown as WorkspaceSession
  return { session, asked }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(check()).toBe(true)
}

describe('makeSearchStore', () => {
  it('opens no list until started, then indexes every entity, answers once ready and follows patches, those during indexing too', async () => {
    // more rows than one task puts in, so a patch can come between two of those tasks
    const many = Array.from({ length: 6000 }, (_, i) => row(`c${i}`, { 'contacts.last_name': `Person ${i}` }))
    const contacts = new RemoteEntityStore('contacts', [row('anna', { 'contacts.first_name': 'Anna', 'contacts.last_name': 'Schmidt', 'contacts.phone': '+49301234567' }), ...many], 'm1', () => undefined)
    const stores = new Map([['contacts', contacts]])
    const { session, asked } = sessionWith(stores)
    await createRoot(async (dispose) => {
      const search = makeSearchStore(session, { ...defaultSchema(), workspace: { defaultCountry: 'DE' } })
      expect(asked).toEqual([])
      expect(search.query('anna')).toEqual([])
      search.start()
      expect(search.status().phase).toBe('indexing')
      // a teammate's edit after the rows were read, while they are being put in
      await until(() => search.status().indexed > 0)
      expect(search.status().phase).toBe('indexing')
      contacts.applyPatch({ added: [row('ben', { 'contacts.last_name': 'Weber' })], updated: [], removed: [] }, false)
      await until(() => search.status().phase === 'ready')
      expect(asked.sort()).toEqual(defaultSchema().entities.map((e) => e.id).sort())
      expect(search.query('030 1234567')[0]!.hits.map((h) => h.row.id)).toEqual(['anna'])
      expect(search.query('weber')[0]!.hits.map((h) => h.row.id)).toEqual(['ben'])
      const before = search.version()
      contacts.applyPatch({ added: [], updated: [], removed: ['ben'] }, false)
      expect(search.version()).toBeGreaterThan(before)
      expect(search.query('weber')).toEqual([])
      search.destroy()
      dispose()
    })
  })
})
