import * as Y from 'yjs'
import { entityDocName, SCHEMA_DOC } from '../src/crdt/docNames'
import { createRecord, readLiveRows } from '../src/crdt/recordDoc'
import { addField, readSchema, seedDefaultSchema, type NewField } from '../src/crdt/schemaDoc'
import type { FieldDef } from '../src/domain/schema'
import { validateFieldValue } from '../src/domain/validateFieldValue'
import { contactValues, type ContactFieldIds } from './contactValues'
import { seededRandom } from '../src/domain/seededRandom'

export interface GenerateWorkspaceOptions {
  contacts: number
  /** Member ids used as record owners and creators. */
  ownerIds: string[]
  seed?: number
  onProgress?: (message: string) => void
}

export interface GeneratedWorkspace {
  /** Every document as one Yjs update (v1), ready to store. */
  docs: { name: string; update: Uint8Array }[]
  /** The live contact rows exactly as the app reads them (`readLiveRows`), as JSON. */
  contactRowsJson: string
  contactCount: number
  contactFields: ContactFieldIds
  /** The contacts document's id → the field definitions (for edits in the latency bench). */
  contactFieldDefs: FieldDef[]
}

/** The 5 custom fields added through the schema like a user would, on top of the 7 defaults. */
const CUSTOM_FIELDS: [key: keyof ContactFieldIds, spec: NewField][] = [
  ['city', { label: 'City', type: 'text' }],
  ['score', { label: 'Score', type: 'number' }],
  ['budget', { label: 'Budget', type: 'money', currency: 'EUR' }],
  ['last_contact', { label: 'Last contact', type: 'date' }],
  ['vip', { label: 'VIP', type: 'checkbox' }],
]

const SEED_ORIGIN = 'bench-seed'
const CHUNK = 5000

/**
 * Builds a workspace through src/crdt like the app would: the default schema plus 5 custom
 * contact fields, `contacts` contacts with all 12 fields filled, and one company per 50
 * contacts (contacts link to them, so the grid's company column resolves names).
 */
export function generateWorkspace(opts: GenerateWorkspaceOptions): GeneratedWorkspace {
  const random = seededRandom(opts.seed ?? 20261127)
  const progress = opts.onProgress ?? (() => {})
  const createdBy = opts.ownerIds[0] ?? 'bench'
  const base = Date.UTC(2026, 0, 1)

  const schemaDoc = new Y.Doc()
  seedDefaultSchema(schemaDoc)
  const custom = Object.fromEntries(CUSTOM_FIELDS.map(([key, spec]) => [key, addField(schemaDoc, 'contacts', spec, SEED_ORIGIN).id]))
  const fields: ContactFieldIds = {
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
  const contactsDef = readSchema(schemaDoc).entities.find((e) => e.id === 'contacts')
  if (!contactsDef || contactsDef.fields.length !== 12) throw new Error(`expected 12 contact fields, got ${contactsDef?.fields.length}`)

  const companiesDoc = new Y.Doc()
  const companyCount = Math.max(1, Math.round(opts.contacts / 50))
  const companyIds: string[] = []
  companiesDoc.transact(() => {
    for (let i = 0; i < companyCount; i++) {
      companyIds.push(createRecord(companiesDoc, { 'companies.name': `Company ${i + 1}` }, { createdBy, now: new Date(base) }, SEED_ORIGIN))
    }
  }, SEED_ORIGIN)

  const contactsDoc = new Y.Doc()
  const started = performance.now()
  for (let from = 0; from < opts.contacts; from += CHUNK) {
    const to = Math.min(opts.contacts, from + CHUNK)
    // createRecord makes 2 transactions per record; one outer transaction per chunk keeps it fast.
    contactsDoc.transact(() => {
      for (let i = from; i < to; i++) {
        const values = contactValues(i, fields, companyIds, opts.ownerIds, random)
        if (i < 50) checkValues(contactsDef.fields, values)
        createRecord(contactsDoc, values, { createdBy, now: new Date(base + i * 1000) }, SEED_ORIGIN)
      }
    }, SEED_ORIGIN)
    progress(`  generating ${opts.contacts.toLocaleString('en-US')} contacts: ${to.toLocaleString('en-US')} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }

  const rows = readLiveRows(contactsDoc)
  const docs = [
    { name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schemaDoc) },
    { name: entityDocName('companies'), update: Y.encodeStateAsUpdate(companiesDoc) },
    { name: entityDocName('contacts'), update: Y.encodeStateAsUpdate(contactsDoc) },
  ]
  schemaDoc.destroy()
  companiesDoc.destroy()
  contactsDoc.destroy()
  return { docs, contactRowsJson: JSON.stringify(rows), contactCount: rows.length, contactFields: fields, contactFieldDefs: contactsDef.fields }
}

/** The generated values must be what the app itself would store. */
function checkValues(defs: FieldDef[], values: Record<string, unknown>): void {
  for (const def of defs) {
    const result = validateFieldValue(def, values[def.id])
    if (!result.ok) throw new Error(`generated value for ${def.label} is invalid: ${result.error}`)
  }
}
