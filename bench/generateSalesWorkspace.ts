import * as Y from 'yjs'
import { entityDocName } from '../src/crdt/docNames'
import { createRecord } from '../src/crdt/recordDoc'
import { ACTIVITY_TYPES, DEAL_STAGES, LEAD_SOURCES } from '../src/domain/defaultSchema'
import type { FieldValue } from '../src/domain/schema'
import { seededRandom, type SeededRandom } from '../src/domain/seededRandom'

export interface SalesWorkspaceCounts {
  contacts: number
  companies: number
  deals: number
  activities: number
}

/** The 100k-record workspace of issue 3's relay budgets (B8). */
export const SALES_WORKSPACE_100K: SalesWorkspaceCounts = { contacts: 30_000, companies: 10_000, deals: 20_000, activities: 40_000 }

export interface GenerateSalesWorkspaceOptions {
  counts: SalesWorkspaceCounts
  ownerIds: string[]
  seed?: number
  onProgress?: (message: string) => void
}

const SEED_ORIGIN = 'bench-seed'
const FIRST = ['Anna', 'Ben', 'Chiara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Maya', 'Noah', 'Olga', 'Paul', 'Rosa', 'Sven']
const LAST = ['Müller', 'Schmidt', 'Rossi', 'García', 'Nowak', 'Dubois', 'Jansen', 'Smith', 'Kowalski', 'Novák', 'Yılmaz', 'Andersson']
const CITIES = ['Berlin', 'Munich', 'Hamburg', 'Vienna', 'Zurich', 'Paris', 'Lyon', 'Milan', 'Madrid', 'Warsaw', 'Prague']
const INDUSTRIES = ['Manufacturing', 'Retail', 'Services', 'Technology', 'Finance', 'Healthcare', 'Other']
const POSITIONS = ['CEO', 'CTO', 'Head of Sales', 'Account Manager', 'Buyer', 'Engineer', 'Consultant']

const day = (r: SeededRandom) => new Date(Date.UTC(2025, 0, 1) + r.int(0, 700) * 86_400_000).toISOString().slice(0, 10)
const phone = (r: SeededRandom) => `+49151${String(r.int(0, 99_999_999)).padStart(8, '0')}`

/**
 * Four entity documents built through src/crdt (`createRecord`, one outer transaction per
 * document), with every field filled: contacts 12 fields (the 7 defaults + City, Score,
 * Budget, Last contact, VIP), companies 7, deals 11, activities 6. Record ids are random, as
 * in the app; values are seeded.
 */
export function generateSalesWorkspace(opts: GenerateSalesWorkspaceOptions): { name: string; update: Uint8Array; records: number }[] {
  const r = seededRandom(opts.seed ?? 20261203)
  const progress = opts.onProgress ?? (() => {})
  const createdBy = opts.ownerIds[0] ?? 'bench'
  const owner = () => r.pick(opts.ownerIds)
  const base = Date.UTC(2026, 0, 1)
  const out: { name: string; update: Uint8Array; records: number }[] = []

  const build = (entity: string, count: number, values: (i: number) => Record<string, FieldValue>): string[] => {
    const started = performance.now()
    const doc = new Y.Doc()
    const ids: string[] = []
    doc.transact(() => {
      for (let i = 0; i < count; i++) ids.push(createRecord(doc, values(i), { createdBy, now: new Date(base + i * 1000) }, SEED_ORIGIN))
    }, SEED_ORIGIN)
    const update = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    out.push({ name: entityDocName(entity), update, records: count })
    progress(`  generated ${count.toLocaleString('en-US')} ${entity} (${(update.byteLength / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return ids
  }

  const companyIds = build('companies', opts.counts.companies, (i) => ({
    'companies.name': `Company ${i + 1}`,
    'companies.phone': phone(r),
    'companies.email': `info${i}@company${i}.example.com`,
    'companies.website': `https://company${i}.example.com`,
    'companies.address': `${r.int(1, 200)} Main Street\n${r.pick(CITIES)}`,
    'companies.industry': r.pick(INDUSTRIES),
    'companies.owner': owner(),
  }))
  const contactIds = build('contacts', opts.counts.contacts, (i) => {
    const first = r.pick(FIRST)
    const last = r.pick(LAST)
    return {
      'contacts.first_name': first,
      'contacts.last_name': last,
      'contacts.email': `contact${i}@example.com`,
      'contacts.phone': phone(r),
      'contacts.company': r.pick(companyIds),
      'contacts.position': r.pick(POSITIONS),
      'contacts.owner': owner(),
      'contacts.city': r.pick(CITIES),
      'contacts.score': r.int(0, 100),
      'contacts.budget': { amount: r.int(0, 5_000_000) * 100, currency: 'EUR' },
      'contacts.last_contact': day(r),
      'contacts.vip': r.next() < 0.1,
    }
  })
  build('deals', opts.counts.deals, (i) => ({
    'deals.title': `Deal ${i + 1}`,
    'deals.company': r.pick(companyIds),
    'deals.contacts': [r.pick(contactIds)],
    'deals.pipeline': 'Sales',
    'deals.stage': r.pick(DEAL_STAGES),
    'deals.amount': { amount: r.int(1, 2_000_000) * 100, currency: 'EUR' },
    'deals.currency': 'EUR',
    'deals.close_date': day(r),
    'deals.probability': r.int(0, 100),
    'deals.owner': owner(),
    'deals.source': r.pick(LEAD_SOURCES),
  }))
  build('activities', opts.counts.activities, (i) => ({
    'activities.type': r.pick(ACTIVITY_TYPES),
    'activities.subject': `Follow-up ${i + 1}`,
    'activities.due': new Date(base + r.int(0, 365 * 86_400) * 1000).toISOString(),
    'activities.done': r.next() < 0.5,
    'activities.owner': owner(),
    'activities.related': r.pick(contactIds),
  }))
  return out
}
