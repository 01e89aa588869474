import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { openKeyValueStore } from './keyValueStore'
import { SyncedDoc } from './syncedDoc'

const opened: SyncedDoc[] = []
afterEach(() => { opened.splice(0).forEach((d) => d.destroy()) })

/** A document of `prefix` that stays offline (no relay here): only its IndexedDB copy is in play. */
function openDoc(prefix: string, loadAfter?: Promise<unknown>): SyncedDoc {
  const doc = new SyncedDoc({ name: 'schema', syncUrl: 'ws://127.0.0.1:9/sync', token: 't', storePrefix: prefix, meta: openKeyValueStore(`${prefix}meta`), loadAfter })
  doc.goOffline()
  opened.push(doc)
  return doc
}

/** Whether `p` has settled after the pending IndexedDB work of a few turns. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false
  void p.then(() => { done = true })
  await new Promise((resolve) => setTimeout(resolve, 50))
  return done
}

describe('SyncedDoc.loadNow (an edit made before a held-back document has loaded)', () => {
  it('loads the stored state at once instead of waiting for loadAfter', async () => {
    const first = openDoc('load-now:')
    await first.whenLocal
    first.doc.getMap('entities').set('contacts', 'stored')
    await settled(Promise.resolve()) // y-indexeddb writes the update
    first.destroy()

    const held = openDoc('load-now:', new Promise(() => {})) // e.g. the member's pause that has not come
    expect(await settled(held.whenLocal)).toBe(false)
    expect(held.doc.getMap('entities').get('contacts')).toBeUndefined()
    held.loadNow()
    await held.whenLocal
    expect(held.doc.getMap('entities').get('contacts')).toBe('stored')
  })

  it('still loads when loadAfter settles first, and loadNow afterwards changes nothing', async () => {
    let release!: () => void
    const doc = openDoc('load-after:', new Promise<void>((resolve) => { release = resolve }))
    release()
    await doc.whenLocal
    const persistence = doc.persistence
    doc.loadNow()
    await settled(Promise.resolve())
    expect(doc.persistence).toBe(persistence)
  })
})
