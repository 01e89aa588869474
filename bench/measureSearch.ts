import type { Row, WorkspaceSchema } from '../src/domain/schema'
import { SearchIndex } from '../src/domain/search/searchIndex'
import type { GeneratedWorkspace } from './generateWorkspace'
import { percentile } from './summarize'

export interface SearchBenchResult {
  records: number
  keystrokesPerRep: number
  /** Building the index from every row (put + fold every chunk), once, ms. */
  buildMs: number
  /** Per repetition: p95 and p50 of one keystroke's query, in ms. */
  p95Ms: number[]
  p50Ms: number[]
  /** The slowest keystroke of all repetitions and its query. */
  slowest: { ms: number; query: string }
}

/**
 * What people type into the search box, one keystroke at a time (each prefix is a query): names
 * with and without accents, a company, an email, a subject, a city, and phone numbers in national
 * and international formats (the workspace's mobiles are +49151…).
 */
export const SEARCH_TYPED = [
  'anna schmidt', 'müller', 'zoe', 'alpen nord', 'katarzyna.nowak', 'follow-up 12', 'renewal 3', 'berlin',
  '0151 2345', '+49 151 1234', 'example.com', 'head of sales', 'company77', 'quarz',
]

/**
 * B17: search per keystroke over the workspace's 100k records, in this Node process — the same
 * SearchIndex the app's page and the relay build (V8 in both). The index is built once from the
 * rows as the app reads them (its cost is a context row: the app builds it lazily, a few chunks
 * per task, on the first search); every prefix of each typed text is then one timed query, as
 * the box asks one per keystroke.
 */
export function measureSearch(o: { workspace: GeneratedWorkspace; reps: number }): SearchBenchResult {
  const w = o.workspace
  const schema: WorkspaceSchema = { entities: Object.values(w.entities), workspace: { defaultCountry: 'DE' } }
  const rows = Object.fromEntries(Object.entries(w.rowsJson).map(([entity, json]) => [entity, JSON.parse(json) as Row[]]))
  const started = performance.now()
  const index = new SearchIndex(schema)
  for (const [entity, list] of Object.entries(rows)) index.put(w.entities[entity as keyof typeof w.entities].id, list)
  index.prepare(Number.POSITIVE_INFINITY)
  const buildMs = performance.now() - started
  const keystrokes = SEARCH_TYPED.flatMap((text) => Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)))
  let found = 0
  // warm-up: the first queries run in the interpreter
  for (const q of keystrokes) found += index.query(q).length
  const p95Ms: number[] = []
  const p50Ms: number[] = []
  let slowest = { ms: 0, query: '' }
  for (let rep = 0; rep < o.reps; rep++) {
    const times: number[] = []
    for (const q of keystrokes) {
      const t0 = performance.now()
      found += index.query(q).length
      const ms = performance.now() - t0
      times.push(ms)
      if (ms > slowest.ms) slowest = { ms, query: q }
    }
    times.sort((a, b) => a - b)
    p95Ms.push(percentile(times, 0.95))
    p50Ms.push(percentile(times, 0.5))
  }
  if (found === 0) throw new Error('search found nothing in the workspace')
  return { records: index.size(), keystrokesPerRep: keystrokes.length, buildMs, p95Ms, p50Ms, slowest }
}
