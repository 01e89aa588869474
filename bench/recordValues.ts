import type { FieldValue } from '../src/domain/schema'
import type { SeededRandom } from '../src/domain/seededRandom'

const FIRST_NAMES = ['Anna', 'Ben', 'Chiara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katarzyna', 'Lukas', 'Maya', 'Noah', 'Olga', 'Paul', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Umut', 'Vera', 'Wei', 'Yuki', 'Zoé']
const LAST_NAMES = ['Müller', 'Schmidt', 'Rossi', 'García', 'Nowak', 'Dubois', 'Jansen', 'Smith', 'Kowalski', 'Novák', 'Yılmaz', 'Andersson', 'Fischer', 'Weber', 'Bianchi', 'Martin', 'Silva', 'Horvat', 'Papadopoulos', 'Virtanen']
const POSITIONS = ['CEO', 'CTO', 'Head of Sales', 'Account Manager', 'Buyer', 'Office Manager', 'Engineer', 'Consultant', 'Procurement Lead', 'Marketing Manager']
const CITIES = ['Berlin', 'Munich', 'Hamburg', 'Vienna', 'Zurich', 'Paris', 'Lyon', 'Milan', 'Madrid', 'Warsaw', 'Prague', 'Amsterdam', 'Copenhagen', 'Stockholm', 'Lisbon']
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'CHF']

/** Field ids of the 12 contact fields the bench fills, by their key. */
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

/** One contact's stored values (plain JSON as the CRDT keeps them), all 12 fields filled. */
export function contactValues(
  index: number,
  fields: ContactFieldIds,
  companyIds: readonly string[],
  ownerIds: readonly string[],
  random: SeededRandom,
): Record<string, FieldValue> {
  const first = random.pick(FIRST_NAMES)
  const last = random.pick(LAST_NAMES)
  const day = new Date(Date.UTC(2025, 0, 1) + random.int(0, 700) * 86_400_000).toISOString().slice(0, 10)
  return {
    [fields.first_name]: first,
    [fields.last_name]: last,
    [fields.email]: `${ascii(first)}.${ascii(last)}${index}@example.com`,
    // Valid German mobile numbers in E.164, as the phone field stores them.
    [fields.phone]: `+49151${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
    [fields.company]: random.pick(companyIds),
    [fields.position]: random.pick(POSITIONS),
    [fields.owner]: random.pick(ownerIds),
    [fields.city]: random.pick(CITIES),
    [fields.score]: random.int(0, 100),
    [fields.budget]: { amount: random.int(0, 5_000_000) * 100, currency: random.pick(CURRENCIES) },
    [fields.last_contact]: day,
    [fields.vip]: random.next() < 0.1,
  }
}
