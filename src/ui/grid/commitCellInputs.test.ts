import { afterEach, describe, expect, it } from 'vitest'
import { defaultSchema } from '../../domain/defaultSchema'
import type { Row } from '../../domain/schema'
import { RemoteEntityStore } from '../../sync/remoteEntityStore'
import type { EntityIntent } from '../../sync/workerProtocol'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { commitCellInputs } from './commitCellInputs'
import { cellKey } from './gridContext'
import { makeGridContext, type GridContextHandle } from './makeGridContext'
import { makeRefusedInputs } from './refusedInputs'

const schema = defaultSchema()
const contacts = schema.entities.find((e) => e.id === 'contacts')!
const company = contacts.fields.find((f) => f.id === 'contacts.company')!
const row = (id: string, values: Row['values']): Row => ({ id, values, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1' })

/**
 * The contacts list open with its first rows, the companies list not loaded yet (as while the
 * linked lists wait for the member's pause): `openCompanies` hands it over.
 */
function setup(companiesFail = false) {
  const sent: EntityIntent[] = []
  const contactStore = new RemoteEntityStore('contacts', [row('c1', { 'contacts.last_name': 'Lovelace' })], 'm1', (i) => sent.push(i))
  const companyStore = new RemoteEntityStore('companies', [row('k1', { 'companies.name': 'Acme GmbH' }), row('k2', { 'companies.name': 'Globex' })], 'm1', () => {})
  let openCompanies!: () => void
  const companiesOpened = new Promise<RemoteEntityStore>((resolve, reject) => {
    openCompanies = () => (companiesFail ? reject(new Error('the companies document could not be read')) : resolve(companyStore))
  })
  const asked: string[] = []
  // the session's part a list's context uses: the member and its lists' stores
  const session = {
    member: { id: 'm1', name: 'Ada', role: 'editor' },
    entity: (id: string) => {
      asked.push(id)
      return id === 'contacts' ? Promise.resolve(contactStore) : companiesOpened
    },
  } as unknown as WorkspaceSession
  const handle = makeGridContext({
    session, schema: () => schema, entityId: 'contacts', members: [], refused: makeRefusedInputs('m1'),
    onLinkNames: () => {}, askLostReason: () => Promise.resolve(null),
  })
  handles.push(handle)
  const commit = (text: string) => commitCellInputs([{ row: contactStore.row('c1')!, field: company, raw: text }], handle.context, contactStore)
  const companyOf = () => contactStore.row('c1')!.values['contacts.company']
  return { handle, contactStore, sent, asked, openCompanies, commit, companyOf }
}
const handles: GridContextHandle[] = []
afterEach(() => { handles.splice(0).forEach((h) => h.destroy()) })

describe('commitCellInputs: a link typed before the linked list is loaded', () => {
  it('asks for the linked list at once and links the record once its names are there (not refused)', async () => {
    const s = setup()
    const outcome = s.commit('acme gmbh')
    expect(outcome.refused).toEqual([])
    expect(s.asked).toContain('companies') // not left waiting for the member's pause
    expect(s.companyOf()).toBeUndefined()
    s.openCompanies()
    const later = await outcome.waiting!
    expect(later.refused).toEqual([])
    expect(s.companyOf()).toBe('k1')
    expect(s.sent).toEqual([{ op: 'update', changes: [{ recordId: 'c1', fieldId: 'contacts.company', value: 'k1' }] }])
  })

  it('refuses a name that matches no record once the list is there, as a name typed later is refused', async () => {
    const s = setup()
    const outcome = s.commit('Initech')
    s.openCompanies()
    const later = await outcome.waiting!
    const now = s.commit('Initech')
    expect(now.waiting).toBeUndefined()
    expect(later.refused.map((r) => r.message)).toEqual(now.refused.map((r) => r.message))
    expect(later.refused[0]?.message).toMatch(/no Companies record named/)
    expect(s.handle.context.refused.get(cellKey('c1', 'contacts.company'))?.text).toBe('Initech')
    expect(s.companyOf()).toBeUndefined()
  })

  it('a newer entry in the same cell wins over one still waiting (no stale link written after it)', async () => {
    const s = setup()
    const first = s.commit('Acme GmbH')
    const second = s.commit('Globex')
    s.openCompanies()
    const [a, b] = await Promise.all([first.waiting!, second.waiting!])
    expect(a.saved).toEqual([])
    expect(b.saved).toEqual([{ recordId: 'c1', fieldId: 'contacts.company', value: 'k2' }])
    expect(s.companyOf()).toBe('k2')
    expect(s.sent).toHaveLength(1)
  })

  it('a linked list that cannot be opened leaves the entry refused with its text, not lost', async () => {
    const s = setup(true)
    const outcome = s.commit('Acme GmbH')
    s.openCompanies()
    const later = await outcome.waiting!
    expect(later.refused).toHaveLength(1)
    expect(s.handle.context.refused.get(cellKey('c1', 'contacts.company'))?.text).toBe('Acme GmbH')
  })

  it('an emptied link cell does not wait: it is cleared at once', () => {
    const s = setup()
    const outcome = s.commit('')
    expect(outcome.waiting).toBeUndefined()
    expect(s.sent).toEqual([{ op: 'update', changes: [{ recordId: 'c1', fieldId: 'contacts.company', value: null }] }])
  })
})
