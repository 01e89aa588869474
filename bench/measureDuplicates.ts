import { defaultSchema } from '../src/domain/defaultSchema'
import { findDuplicates } from '../src/domain/duplicates/findDuplicates'
import { findEntity, type FieldValue, type Row } from '../src/domain/schema'
import { seededRandom, type SeededRandom } from '../src/domain/seededRandom'
import { summarize } from './summarize'

export interface DuplicatesBenchResult {
  contacts: number
  /** Duplicates planted: the same email in other letter case, the same phone, a last name a typo apart. */
  planted: { email: number; phone: number; typo: number }
  /** B29, per repetition: findDuplicates over every contact, in ms. */
  findMs: number[]
  /** The same runs' CPU time (user + system): on a shared machine the wall time includes waits for a core. */
  cpuMs: number[]
  /** Groups found, and how many of the planted pairs were among them (per kind). */
  groups: number
  found: { email: number; phone: number; typo: number }
}

const FIRST = ['Anna', 'Ben', 'Chiara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katarzyna', 'Lukas', 'Maya', 'Noah', 'Olga', 'Paul', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Umut', 'Vera', 'Wei', 'Yuki', 'Zoé']
const SYLLABLES = [
  'ber', 'man', 'ko', 'vic', 'sen', 'ta', 'ro', 'lin', 'del', 'mar', 'sch', 'wald', 'ni', 'gar', 'lo', 'pez', 'ova', 'ski', 'mo', 'ra',
  'hu', 'bert', 'an', 'dor', 'fi', 'li', 'ne', 'sto', 'ka', 'ri', 'ya', 'zu', 'gel', 'tor', 'bach', 'heim', 'ov', 'enko', 'ez', 'os',
  'quin', 'pel', 'dra', 'vik', 'son', 'berg', 'ham', 'ley', 'ton', 'ford', 'cci', 'ini', 'ato', 'ić', 'ás', 'ström', 'lund', 'gaard', 'yuki', 'tani',
]

/** A surname of 3–4 of 60 syllables: 13M spellings, so names mostly differ, as in a real list. */
function surname(r: SeededRandom): string {
  const n = r.int(3, 4)
  let s = ''
  for (let i = 0; i < n; i++) s += r.pick(SYLLABLES)
  return s[0]!.toUpperCase() + s.slice(1)
}

const phone = (r: SeededRandom) => `+4915${String(r.int(10_000_000, 99_999_999))}${r.int(0, 9)}`

/** One letter of a name changed (never the first): a typo. */
function typo(name: string, r: SeededRandom): string {
  const at = r.int(1, name.length - 1)
  const letter = String.fromCharCode(97 + ((name.charCodeAt(at) - 97 + r.int(1, 25)) % 26))
  return name.slice(0, at) + letter + name.slice(at + 1)
}

/** B29's contacts: realistic, mostly distinct names, 1% planted duplicates of others (same email in other case, same phone, a last name one typo apart). */
export interface PlantedContacts {
  rows: Row[]
  planted: { email: number; phone: number; typo: number }
  pairs: { kind: 'email' | 'phone' | 'typo'; a: string; b: string }[]
}

export function plantedContacts(count: number): PlantedContacts {
  const r = seededRandom(29)
  const rows: Row[] = []
  const created = Date.parse('2026-01-01T00:00:00.000Z')
  const add = (values: Record<string, FieldValue>) => {
    const i = rows.length
    rows.push({ id: `c${i}`, values, createdAt: new Date(created + i * 1000).toISOString(), createdBy: 'm1' })
    return `c${i}`
  }
  const planted = { email: Math.round(count * 0.004), phone: Math.round(count * 0.003), typo: Math.round(count * 0.003) }
  const originals = count - planted.email - planted.phone - planted.typo
  for (let i = 0; i < originals; i++) {
    const first = r.pick(FIRST)
    const last = surname(r)
    add({ 'contacts.first_name': first, 'contacts.last_name': last, 'contacts.email': `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.com`, 'contacts.phone': phone(r), 'contacts.position': 'Buyer' })
  }
  const pairs: PlantedContacts['pairs'] = []
  const pick = () => rows[r.int(0, originals - 1)]!
  for (const kind of ['email', 'phone', 'typo'] as const) {
    for (let k = 0; k < planted[kind]; k++) {
      const of = pick()
      const v = of.values
      const values: Record<string, FieldValue> = kind === 'email'
        ? { 'contacts.first_name': r.pick(FIRST), 'contacts.last_name': surname(r), 'contacts.email': String(v['contacts.email']).toUpperCase(), 'contacts.phone': phone(r) }
        : kind === 'phone'
          ? { 'contacts.first_name': r.pick(FIRST), 'contacts.last_name': surname(r), 'contacts.email': `other${k}@example.org`, 'contacts.phone': v['contacts.phone']! }
          : { 'contacts.first_name': v['contacts.first_name']!, 'contacts.last_name': typo(String(v['contacts.last_name']), r), 'contacts.email': `typo${k}@example.org`, 'contacts.phone': phone(r) }
      pairs.push({ kind, a: of.id, b: add(values) })
    }
  }
  return { rows, planted, pairs }
}

/**
 * B29 (issue 18): findDuplicates over 100k contacts in Node — the work GET /{entity}/duplicates
 * and the app's Duplicates… screen do before they show a group, over plantedContacts.
 */
export function measureDuplicates(options: { contacts?: number; reps?: number } = {}): DuplicatesBenchResult {
  const count = options.contacts ?? 100_000
  const reps = options.reps ?? 5
  const contacts = findEntity(defaultSchema(), 'contacts')!
  const { rows, planted, pairs } = plantedContacts(count)
  const findMs: number[] = []
  const cpuMs: number[] = []
  let groups: ReturnType<typeof findDuplicates> = []
  for (let rep = 0; rep < reps; rep++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    groups = findDuplicates(contacts, rows)
    const used = process.cpuUsage(cpu)
    findMs.push(performance.now() - start)
    cpuMs.push((used.user + used.system) / 1000)
  }
  const groupOf = new Map<string, number>()
  groups.forEach((g, i) => { for (const id of g.ids) groupOf.set(id, i) })
  const found = { email: 0, phone: 0, typo: 0 }
  for (const p of pairs) if (groupOf.has(p.a) && groupOf.get(p.a) === groupOf.get(p.b)) found[p.kind]++
  return { contacts: rows.length, planted, findMs, cpuMs, groups: groups.length, found }
}

/** `npx tsx bench/measureDuplicates.ts`: B29 alone. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = measureDuplicates()
  console.log(JSON.stringify({ ...result, median: summarize(result.findMs).median }, null, 2))
}
