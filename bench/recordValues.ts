import { ACTIVITY_TYPES, LEAD_SOURCES } from '../src/domain/defaultSchema'
import { defaultPipeline, SALES_PIPELINE_ID } from '../src/domain/pipelines/pipeline'
import type { FieldValue } from '../src/domain/schema'
import type { SeededRandom } from '../src/domain/seededRandom'

const SALES_STAGE_IDS = defaultPipeline().stages.map((s) => s.id)

const FIRST_NAMES = ['Anna', 'Ben', 'Chiara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katarzyna', 'Lukas', 'Maya', 'Noah', 'Olga', 'Paul', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Umut', 'Vera', 'Wei', 'Yuki', 'Zoé']
const LAST_NAMES = ['Müller', 'Schmidt', 'Rossi', 'García', 'Nowak', 'Dubois', 'Jansen', 'Smith', 'Kowalski', 'Novák', 'Yılmaz', 'Andersson', 'Fischer', 'Weber', 'Bianchi', 'Martin', 'Silva', 'Horvat', 'Papadopoulos', 'Virtanen']
const POSITIONS = ['CEO', 'CTO', 'Head of Sales', 'Account Manager', 'Buyer', 'Office Manager', 'Engineer', 'Consultant', 'Procurement Lead', 'Marketing Manager']
const CITIES = ['Berlin', 'Munich', 'Hamburg', 'Vienna', 'Zurich', 'Paris', 'Lyon', 'Milan', 'Madrid', 'Warsaw', 'Prague', 'Amsterdam', 'Copenhagen', 'Stockholm', 'Lisbon']
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'CHF']
const INDUSTRIES = ['Manufacturing', 'Retail', 'Services', 'Technology', 'Finance', 'Healthcare', 'Other']
const COMPANY_WORDS = ['Nord', 'Alpen', 'Rhein', 'Delta', 'Solar', 'Kessel', 'Linde', 'Falk', 'Mosaik', 'Atlas', 'Vento', 'Quarz']
const COMPANY_KINDS = ['GmbH', 'AG', 'SE', 'KG', 'Ltd', 'S.A.', 'B.V.']
const DEAL_WORDS = ['Renewal', 'Expansion', 'Pilot', 'Framework contract', 'Service plan', 'Upgrade', 'Licences', 'Maintenance']
const SUBJECTS = ['Follow-up', 'Intro call', 'Demo', 'Send offer', 'Contract review', 'Quarterly check-in', 'Onboarding', 'Price discussion']
const DAY_MS = 86_400_000
const BASE = Date.UTC(2025, 0, 1)

/** Field ids of the 12 contact fields the bench fills, by their key (5 are custom, with random ids). */
export interface ContactFieldIds {
  first_name: string
  last_name: string
  email: string
  phone: string
  company: string
  position: string
  owner: string
  city: string
  score: string
  budget: string
  last_contact: string
  vip: string
}

const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase()
const isoDay = (r: SeededRandom) => new Date(BASE + r.int(0, 700) * DAY_MS).toISOString().slice(0, 10)
// Valid German mobile numbers in E.164, as the phone field stores them.
const mobile = (r: SeededRandom) => `+49151${String(r.int(0, 99_999_999)).padStart(8, '0')}`

/**
 * Stored values (plain JSON as the CRDT keeps them, i.e. already normalized the way the app's
 * validators return them) with every field of the entity filled. `links` are the record ids
 * link fields may point to; `owners` member ids.
 */
export function contactValues(index: number, fields: ContactFieldIds, companyIds: readonly string[], owners: readonly string[], r: SeededRandom): Record<string, FieldValue> {
  const first = r.pick(FIRST_NAMES)
  const last = r.pick(LAST_NAMES)
  return {
    [fields.first_name]: first,
    [fields.last_name]: last,
    [fields.email]: `${ascii(first)}.${ascii(last)}${index}@example.com`,
    [fields.phone]: mobile(r),
    [fields.company]: r.pick(companyIds),
    [fields.position]: r.pick(POSITIONS),
    [fields.owner]: r.pick(owners),
    [fields.city]: r.pick(CITIES),
    [fields.score]: r.int(0, 100),
    [fields.budget]: { amount: r.int(0, 5_000_000) * 100, currency: r.pick(CURRENCIES) },
    [fields.last_contact]: isoDay(r),
    [fields.vip]: r.next() < 0.1,
  }
}

/** A company: the 7 default fields. */
export function companyValues(index: number, owners: readonly string[], r: SeededRandom): Record<string, FieldValue> {
  const name = `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_WORDS)} ${index + 1} ${r.pick(COMPANY_KINDS)}`
  const host = `company${index + 1}.example.com`
  return {
    'companies.name': name,
    'companies.phone': mobile(r),
    'companies.email': `info@${host}`,
    'companies.website': `https://${host}`,
    'companies.address': `${r.int(1, 200)} Main Street\n${r.int(10_000, 99_999)} ${r.pick(CITIES)}`,
    'companies.industry': r.pick(INDUSTRIES),
    'companies.owner': r.pick(owners),
  }
}

/** A deal: the 11 default fields, linked to one company and one or two contacts. */
export function dealValues(index: number, companyIds: readonly string[], contactIds: readonly string[], owners: readonly string[], r: SeededRandom): Record<string, FieldValue> {
  const contacts = [r.pick(contactIds)]
  if (r.next() < 0.3) {
    const second = r.pick(contactIds)
    if (second !== contacts[0]) contacts.push(second)
  }
  const currency = r.pick(CURRENCIES)
  return {
    'deals.title': `${r.pick(DEAL_WORDS)} ${index + 1}`,
    'deals.company': r.pick(companyIds),
    'deals.contacts': contacts,
    // ids, as deals hold them since pipelines (issue 14): the seeded "Sales" pipeline's stages
    'deals.pipeline': SALES_PIPELINE_ID,
    'deals.stage': r.pick(SALES_STAGE_IDS),
    'deals.amount': { amount: r.int(1, 2_000_000) * 100, currency },
    'deals.currency': currency,
    'deals.close_date': isoDay(r),
    'deals.probability': r.int(0, 100),
    'deals.owner': r.pick(owners),
    'deals.source': r.pick(LEAD_SOURCES),
  }
}

/** An activity: the 6 default fields, related to a contact. */
export function activityValues(index: number, contactIds: readonly string[], owners: readonly string[], r: SeededRandom): Record<string, FieldValue> {
  return {
    'activities.type': r.pick(ACTIVITY_TYPES),
    'activities.subject': `${r.pick(SUBJECTS)} ${index + 1}`,
    // Whole quarter hours, as the dateTime validator returns them (toISOString).
    'activities.due': new Date(BASE + r.int(0, 700 * 96) * 900_000).toISOString(),
    'activities.done': r.next() < 0.5,
    'activities.owner': r.pick(owners),
    'activities.related': r.pick(contactIds),
  }
}
