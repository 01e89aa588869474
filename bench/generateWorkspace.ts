import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { createRecord, readLiveRows } from '../src/crdt/recordDoc'
import { addField, readSchema, seedDefaultSchema, type NewField } from '../src/crdt/schemaDoc'
import type { EntityDef, FieldDef, FieldValue } from '../src/domain/schema'
import { seededRandom } from '../src/domain/seededRandom'
import { validateFieldValue } from '../src/domain/validateFieldValue'
import { activityValues, companyValues, contactValues, dealValues, type ContactFieldIds } from './recordValues'

export const ENTITIES = ['contacts', 'companies', 'deals', 'activities'] as const
export type BenchEntity = (typeof ENTITIES)[number]
export type WorkspaceCounts = Record<BenchEntity, number>

/** The workspace of issue 3's budgets: 100k records. */
export const BUDGET_WORKSPACE: WorkspaceCounts = { contacts: 30_000, companies: 10_000, deals: 20_000, activities: 40_000 }
/** The same mix at a tenth of the size, for `--quick`. */
export const QUICK_WORKSPACE: WorkspaceCounts = { contacts: 3_000, companies: 1_000, deals: 2_000, activities: 4_000 }

export interface GenerateWorkspaceOptions {
  counts: WorkspaceCounts
  /** Member ids used as record owners (the first is the creator of every record). */
  ownerIds: string[]
  seed?: number
  onProgress?: (message: string) => void
}

export interface GeneratedDoc {
  name: string
  /** The whole document as one Yjs update (v1). */
  update: Uint8Array
  /** Live records in it (0 for the schema). */
  records: number
}

export interface GeneratedWorkspace {
  counts: WorkspaceCounts
  /** The schema document first, then one document per entity. */
  docs: GeneratedDoc[]
  /** Per entity: its live rows exactly as the app reads them (`readLiveRows`), as JSON. */
  rowsJson: Record<BenchEntity, string>
  /** All rows of all four entities as one JSON array: the `JSON.parse` the open budgets compare with. */
  allRowsJson: string
  records: number
  contactFields: ContactFieldIds
  /**
   * The contacts document as a client sees it that has loaded only the last `records` contacts
   * (made by their own Yjs client): the other contacts are one garbage-collected range, so the
   * state vector, and with it everything the relay sends, is the full document's. B6's 20 clients
   * start from it: 20 full copies would need 20 × 220 MB and 20 × 3 s to decode in one process.
   */
  editedContacts: { update: Uint8Array; records: number }
  /** The schema's entity definitions (contacts with the custom fields). */
  entities: Record<BenchEntity, EntityDef>
  generateMs: number
}

/** The 5 custom contact fields, added through the schema like a user would, on top of the 7 defaults. */
const CUSTOM_CONTACT_FIELDS: [key: keyof ContactFieldIds, spec: NewField][] = [
  ['city', { label: 'City', type: 'text' }],
  ['score', { label: 'Score', type: 'number' }],
  ['budget', { label: 'Budget', type: 'money', currency: 'EUR' }],
  ['last_contact', { label: 'Last contact', type: 'date' }],
  ['vip', { label: 'VIP', type: 'checkbox' }],
]
const FIELD_COUNTS: WorkspaceCounts = { contacts: 12, companies: 7, deals: 12, activities: 16 }

const SEED_ORIGIN = 'bench-seed'
const CHUNK = 5000
/** Contacts made by a second Yjs client, for editedContacts. */
const EDITED_CONTACTS = 1000

/**
 * Builds a workspace through src/crdt like the app would: the default schema plus 5 custom
 * contact fields (City, Score, Budget, Last contact, VIP: 12 contact fields), then companies,
 * contacts, deals and activities with `createRecord`, every field filled with a value the app's
 * own validator accepts unchanged. Links resolve: contacts → companies, deals → a company and
 * contacts, activities → contacts. Record ids are random, as in the app; values are seeded.
 */
export function generateWorkspace(opts: GenerateWorkspaceOptions): GeneratedWorkspace {
  const started = performance.now()
  const r = seededRandom(opts.seed ?? 20261127)
  const progress = opts.onProgress ?? (() => {})
  const owners = opts.ownerIds.length ? opts.ownerIds : ['bench']
  const createdBy = owners[0]!
  const base = Date.UTC(2026, 0, 1)

  const schemaDoc = new Y.Doc()
  seedDefaultSchema(schemaDoc)
  const custom = Object.fromEntries(CUSTOM_CONTACT_FIELDS.map(([key, spec]) => [key, addField(schemaDoc, 'contacts', spec, SEED_ORIGIN).id]))
  const contactFields: ContactFieldIds = {
    first_name: 'contacts.first_name',
    last_name: 'contacts.last_name',
    email: 'contacts.email',
    phone: 'contacts.phone',
    company: 'contacts.company',
    position: 'contacts.position',
    owner: 'contacts.owner',
    city: custom.city!,
    score: custom.score!,
    budget: custom.budget!,
    last_contact: custom.last_contact!,
    vip: custom.vip!,
  }
  const schema = readSchema(schemaDoc)
  const entities = Object.fromEntries(ENTITIES.map((id) => {
    const def = schema.entities.find((e) => e.id === id)
    if (!def || def.fields.length !== FIELD_COUNTS[id]) throw new Error(`expected ${FIELD_COUNTS[id]} ${id} fields, got ${def?.fields.length}`)
    return [id, def]
  })) as Record<BenchEntity, EntityDef>

  const docs: GeneratedDoc[] = [{ name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schemaDoc), records: 0 }]
  schemaDoc.destroy()
  const rowsJson = {} as Record<BenchEntity, string>

  const fill = (entity: BenchEntity, doc: Y.Doc, from: number, to: number, values: (i: number) => Record<string, FieldValue>, ids: string[]) => {
    for (let start = from; start < to; start += CHUNK) {
      // createRecord makes 2 transactions per record; one outer transaction per chunk keeps it fast.
      doc.transact(() => {
        for (let i = start; i < Math.min(to, start + CHUNK); i++) {
          const v = values(i)
          if (i < 100 || i % 997 === 0) checkValues(entities[entity].fields, v)
          ids.push(createRecord(doc, v, { createdBy, now: new Date(base + i * 1000) }, SEED_ORIGIN))
        }
      }, SEED_ORIGIN)
    }
  }
  let editedContacts: GeneratedWorkspace['editedContacts'] | undefined
  /** `split` records at the end come from a second Yjs client (see editedContacts). */
  const build = (entity: BenchEntity, values: (i: number) => Record<string, FieldValue>, split = 0): string[] => {
    const count = opts.counts[entity]
    const t0 = performance.now()
    const ids: string[] = []
    const doc = new Y.Doc()
    fill(entity, doc, 0, count - split, values, ids)
    let rows = readLiveRows(doc)
    let update = Y.encodeStateAsUpdate(doc)
    if (split > 0) {
      const tail = new Y.Doc()
      while (tail.clientID === doc.clientID) tail.clientID = new Y.Doc().clientID
      fill(entity, tail, count - split, count, values, ids)
      const tailUpdate = Y.encodeStateAsUpdate(tail)
      rows = [...rows, ...readLiveRows(tail)]
      editedContacts = { update: Y.mergeUpdates([gcRange(doc.clientID, Y.getState(doc.store, doc.clientID)), tailUpdate]), records: split }
      update = Y.mergeUpdates([update, tailUpdate])
      tail.destroy()
    }
    doc.destroy()
    if (rows.length !== count) throw new Error(`${entity}: ${rows.length} live rows, expected ${count}`)
    rowsJson[entity] = JSON.stringify(rows)
    docs.push({ name: entityDocName(entity), update, records: count })
    progress(`  generated ${count.toLocaleString('en-US')} ${entity} (${(update.byteLength / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    return ids
  }

  const companyIds = build('companies', (i) => companyValues(i, owners, r))
  const contactIds = build('contacts', (i) => contactValues(i, contactFields, companyIds, owners, r), Math.min(EDITED_CONTACTS, Math.floor(opts.counts.contacts / 3)))
  build('deals', (i) => dealValues(i, companyIds, contactIds, owners, r))
  build('activities', (i) => activityValues(i, contactIds, owners, r))
  // contacts first: the grid the open budgets measure
  docs.sort((a, b) => docOrder(a.name) - docOrder(b.name))

  // One array of every row: strip each entity's brackets instead of stringifying 100k rows again.
  const parts = ENTITIES.map((e) => rowsJson[e].slice(1, -1)).filter((p) => p.length > 0)
  return {
    counts: { ...opts.counts },
    docs,
    rowsJson,
    allRowsJson: `[${parts.join(',')}]`,
    records: ENTITIES.reduce((n, e) => n + opts.counts[e], 0),
    contactFields,
    editedContacts: editedContacts!,
    entities,
    generateMs: performance.now() - started,
  }
}

/** A Yjs update (v1) holding one garbage-collected struct: clocks [0, length) of `client`. */
function gcRange(client: number, length: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, 1) // structs of this client
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0) // first clock
  encoding.writeUint8(e, 0) // info: GC
  encoding.writeVarUint(e, length)
  encoding.writeVarUint(e, 0) // delete set: no clients
  return encoding.toUint8Array(e)
}

function docOrder(name: string): number {
  const i = ENTITIES.findIndex((e) => entityDocName(e) === name)
  return i < 0 ? -1 : i
}

/** The generated values must be exactly what the app itself would store. */
function checkValues(defs: FieldDef[], values: Record<string, FieldValue>): void {
  for (const def of defs) {
    // fields added since the generator was written (a deal's lost reason, a call's outcome) stay empty
    if (!(def.id in values)) continue
    const value = values[def.id]
    const result = validateFieldValue(def, value)
    if (!result.ok) throw new Error(`generated value for ${def.label} is invalid: ${result.error}`)
    if (JSON.stringify(result.value) !== JSON.stringify(value)) {
      throw new Error(`generated value for ${def.label} is not stored as generated: ${JSON.stringify(value)} → ${JSON.stringify(result.value)}`)
    }
  }
}
