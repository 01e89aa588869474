import type { EntityDef, FieldValue, Row } from '../schema'
import { choiceLabelOf } from '../pipelines/stageChoices'
import { foldSearchText, isWordCode } from './foldSearchText'
import { phoneDigits, type PhoneQuery } from './phoneQuery'
import { searchFields, type SearchField } from './searchFields'
import { SearchHits } from './searchHits'

/** Match kinds, best first, as ranks: a hit's score is rank × 2, plus 1 in a name field. */
export const MATCH_RANKS = { exact: 4, prefix: 3, word: 2, contains: 1 } as const
export type MatchKind = keyof typeof MATCH_RANKS

/** Shorter queries match the start of a value or of a word only: one letter is in most records. */
export const CONTAINS_MIN_LENGTH = 3
/** Records per chunk: an edit folds its chunk again (~0.1 ms), a query scans every chunk's strings. */
const CHUNK_RECORDS = 256
/** Stands before every value in a chunk's strings; folded text never holds it. */
const SEP = '\u0001'

/**
 * One chunk of records as strings a query runs `indexOf` over (native, fast over megabytes),
 * with where each value starts in them:
 * - `text`: every searched value folded, each after SEP;
 * - value starts and word starts (every word of a value but its first) by their first
 *   character, so one- and two-letter queries go straight to them instead of to every
 *   occurrence of a letter;
 * - `phones`: every phone's digits after SEP.
 */
interface Chunk {
  text: string
  entryStart: Int32Array
  entryEnd: Int32Array
  entrySlot: Int32Array
  entryField: Int32Array
  /** The value as stored (a select's option name): what a hit shows. */
  entryValue: string[]
  startsByChar: Map<number, Int32Array>
  /** Word starts by first character: their place in `text` and their entry, in pairs. */
  wordsByChar: Map<number, Int32Array>
  phones: string
  phoneStart: Int32Array
  phoneEnd: Int32Array
  phoneEntry: Int32Array
}

/** A query folded once for every entity. */
export interface PreparedQuery {
  text: string
  phone: PhoneQuery | null
}

/**
 * The search index of one entity: its live rows by slot, their searched values in chunks of
 * strings built lazily (an edit marks its chunk, the next query or `prepare` folds it again), and
 * for each link field which records point to a record, so a contact is found by its company.
 */
export class EntitySearchIndex {
  fields: SearchField[] = []
  private signature = ''
  private rows: (Row | undefined)[] = []
  private slotOf = new Map<string, number>()
  private free: number[] = []
  private chunks: (Chunk | null)[] = []
  /** Per field index of a link field: target record id → slots pointing to it. */
  private links = new Map<number, Map<string, number[]>>()

  constructor(public entity: EntityDef) {
    this.setEntity(entity)
  }

  /** A changed definition (fields added, removed, options renamed) folds every record again. */
  setEntity(entity: EntityDef): void {
    this.entity = entity
    const fields = searchFields(entity)
    const signature = JSON.stringify(fields.map((f) => [f.def.id, f.mode, f.name, f.def.linkEntity, f.def.choices]))
    if (signature === this.signature) {
      this.fields = fields
      return
    }
    this.signature = signature
    this.fields = fields
    this.chunks.fill(null)
    this.links.clear()
    fields.forEach((f, i) => { if (f.mode === 'link') this.links.set(i, new Map()) })
    this.rows.forEach((row, slot) => { if (row) this.link(slot, undefined, row) })
  }

  get size(): number {
    return this.slotOf.size
  }

  row(slot: number): Row | undefined {
    return this.rows[slot]
  }

  slotCount(): number {
    return this.rows.length
  }

  /** Adds or replaces a record; a deleted one (or a shell without its creation) leaves. */
  put(row: Row): void {
    if (row.deletedAt !== undefined || !row.createdAt) {
      this.remove(row.id)
      return
    }
    let slot = this.slotOf.get(row.id)
    if (slot === undefined) {
      slot = this.free.pop() ?? this.rows.length
      this.slotOf.set(row.id, slot)
    }
    const before = this.rows[slot]
    this.rows[slot] = row
    this.link(slot, before, row)
    this.chunks[Math.floor(slot / CHUNK_RECORDS)] = null
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id)
    if (slot === undefined) return
    this.link(slot, this.rows[slot], undefined)
    this.rows[slot] = undefined
    this.slotOf.delete(id)
    this.free.push(slot)
    this.chunks[Math.floor(slot / CHUNK_RECORDS)] = null
  }

  /** Chunks to fold before a query can run. */
  pendingChunks(): number {
    let n = 0
    for (let c = 0; c < this.chunkCount(); c++) if (!this.chunks[c]) n++
    return n
  }

  /** Folds up to `max` pending chunks; the number folded. */
  prepare(max: number): number {
    let built = 0
    for (let c = 0; c < this.chunkCount() && built < max; c++) {
      if (this.chunks[c]) continue
      this.chunks[c] = this.buildChunk(c)
      built++
    }
    return built
  }

  /** Records this entity's own matches (its values) into `hits`. */
  search(query: PreparedQuery, hits: SearchHits): void {
    this.prepare(Number.POSITIVE_INFINITY)
    for (let c = 0; c < this.chunkCount(); c++) {
      const chunk = this.chunks[c]!
      if (query.text) {
        if (query.text.length >= CONTAINS_MIN_LENGTH) this.searchAnywhere(chunk, query.text, hits)
        else this.searchStarts(chunk, query.text, hits)
      }
      if (query.phone) this.searchPhones(chunk, query.phone, hits)
    }
  }

  /**
   * Records of this entity whose link fields point to a record `target` names (by a name
   * field): scored as the target's name matched, in the link field (not a name field).
   */
  searchLinks(targetEntityId: string, targetHits: SearchHits, target: EntitySearchIndex, hits: SearchHits): void {
    for (let index = 0; index < this.fields.length; index++) {
      const field = this.fields[index]!
      if (field.mode !== 'link' || field.def.linkEntity !== targetEntityId || !targetHits.named.length) continue
      const pointing = this.links.get(index)!
      for (const targetSlot of targetHits.named) {
        const slots = pointing.get(target.row(targetSlot)!.id)
        if (!slots) continue
        const score = targetHits.nameRank[targetSlot]! * 2
        for (const slot of slots) hits.add(slot, score, -1 - index, targetHits.nameLength[targetSlot]!, targetSlot)
      }
    }
  }

  /** The field and stored value behind a hit's entry (see SearchHits.add). */
  entryOf(slot: number, entry: number): { field: SearchField; value: string } {
    const chunk = this.chunks[Math.floor(slot / CHUNK_RECORDS)]!
    return { field: this.fields[chunk.entryField[entry]!]!, value: chunk.entryValue[entry]! }
  }

  private chunkCount(): number {
    return Math.ceil(this.rows.length / CHUNK_RECORDS)
  }

  /** Queries of three or more characters: every occurrence, classified by where it stands. */
  private searchAnywhere(chunk: Chunk, q: string, hits: SearchHits): void {
    const { text } = chunk
    const wordFirst = isWordCode(q.charCodeAt(0))
    let e = 0
    for (let pos = text.indexOf(q); pos >= 0; pos = text.indexOf(q, pos + 1)) {
      e = lastAtOrBefore(chunk.entryStart, pos, e)
      let rank: number
      if (pos === chunk.entryStart[e]) rank = pos + q.length === chunk.entryEnd[e] ? MATCH_RANKS.exact : MATCH_RANKS.prefix
      else rank = wordFirst && !isWordCode(text.charCodeAt(pos - 1)) ? MATCH_RANKS.word : MATCH_RANKS.contains
      this.hitEntry(chunk, e, rank, hits)
    }
  }

  /** One or two characters: value starts, then word starts. */
  private searchStarts(chunk: Chunk, q: string, hits: SearchHits): void {
    const { text } = chunk
    const first = q.charCodeAt(0)
    const whole = q.length === 1
    const starts = chunk.startsByChar.get(first)
    if (starts) {
      for (const e of starts) {
        const start = chunk.entryStart[e]!
        if (!whole && !text.startsWith(q, start)) continue
        this.hitEntry(chunk, e, start + q.length === chunk.entryEnd[e] ? MATCH_RANKS.exact : MATCH_RANKS.prefix, hits)
      }
    }
    const words = chunk.wordsByChar.get(first)
    if (!words) return
    for (let i = 0; i < words.length; i += 2) {
      if (whole || text.startsWith(q, words[i]!)) this.hitEntry(chunk, words[i + 1]!, MATCH_RANKS.word, hits)
    }
  }

  private searchPhones(chunk: Chunk, phone: PhoneQuery, hits: SearchHits): void {
    const { phones } = chunk
    const starts = phone.exact ? [phone.exact, ...phone.prefixes] : phone.prefixes
    for (const digits of starts) {
      const head = SEP + digits
      for (let pos = phones.indexOf(head); pos >= 0; pos = phones.indexOf(head, pos + 1)) {
        const p = lastAtOrBefore(chunk.phoneStart, pos + 1)
        const whole = pos + 1 + digits.length === chunk.phoneEnd[p]
        this.hitEntry(chunk, chunk.phoneEntry[p]!, whole ? MATCH_RANKS.exact : MATCH_RANKS.prefix, hits)
      }
    }
    const suffix = phone.suffix
    if (!suffix) return
    for (let pos = phones.indexOf(suffix); pos >= 0; pos = phones.indexOf(suffix, pos + 1)) {
      const p = lastAtOrBefore(chunk.phoneStart, pos)
      // the number's end: a national number meets the international one stored
      this.hitEntry(chunk, chunk.phoneEntry[p]!, pos + suffix.length === chunk.phoneEnd[p] ? MATCH_RANKS.word : MATCH_RANKS.contains, hits)
    }
  }

  private hitEntry(chunk: Chunk, e: number, rank: number, hits: SearchHits): void {
    const field = this.fields[chunk.entryField[e]!]!
    hits.add(chunk.entrySlot[e]!, rank * 2 + (field.name ? 1 : 0), e, chunk.entryEnd[e]! - chunk.entryStart[e]!, -1, field.name ? rank : 0)
  }

  private buildChunk(c: number): Chunk {
    const text: string[] = []
    const phones: string[] = []
    const entryStart: number[] = []
    const entryEnd: number[] = []
    const entrySlot: number[] = []
    const entryField: number[] = []
    const entryValue: string[] = []
    const startsByChar = new Map<number, number[]>()
    const wordsByChar = new Map<number, number[]>()
    const push = (byChar: Map<number, number[]>, char: number, ...values: number[]) => {
      const list = byChar.get(char)
      if (list) list.push(...values)
      else byChar.set(char, values)
    }
    const phoneStart: number[] = []
    const phoneEnd: number[] = []
    const phoneEntry: number[] = []
    let textLength = 0
    let phonesLength = 0
    const addEntry = (slot: number, fieldIndex: number, value: string): number => {
      const folded = foldSearchText(value)
      if (!folded) return -1
      const e = entryStart.length
      const start = textLength + 1
      text.push(SEP, folded)
      textLength = start + folded.length
      entryStart.push(start)
      entryEnd.push(textLength)
      entrySlot.push(slot)
      entryField.push(fieldIndex)
      entryValue.push(value)
      push(startsByChar, folded.charCodeAt(0), e)
      for (let i = 1; i < folded.length; i++) {
        const char = folded.charCodeAt(i)
        if (isWordCode(char) && !isWordCode(folded.charCodeAt(i - 1))) push(wordsByChar, char, start + i, e)
      }
      return e
    }
    const last = Math.min(this.rows.length, (c + 1) * CHUNK_RECORDS)
    for (let slot = c * CHUNK_RECORDS; slot < last; slot++) {
      const row = this.rows[slot]
      if (!row) continue
      this.fields.forEach((field, fieldIndex) => {
        const value = row.values[field.def.id]
        for (const text of valueTexts(field, value)) {
          const e = addEntry(slot, fieldIndex, text)
          if (e < 0 || field.mode !== 'phone') continue
          const digits = phoneDigits(text)
          if (!digits) continue
          phones.push(SEP, digits)
          phoneStart.push(phonesLength + 1)
          phonesLength += 1 + digits.length
          phoneEnd.push(phonesLength)
          phoneEntry.push(e)
        }
      })
    }
    return {
      text: text.join(''), entryStart: Int32Array.from(entryStart), entryEnd: Int32Array.from(entryEnd), entrySlot: Int32Array.from(entrySlot),
      entryField: Int32Array.from(entryField), entryValue,
      startsByChar: typed(startsByChar), wordsByChar: typed(wordsByChar),
      phones: phones.join(''), phoneStart: Int32Array.from(phoneStart), phoneEnd: Int32Array.from(phoneEnd), phoneEntry: Int32Array.from(phoneEntry),
    }
  }

  /** Keeps the link maps current: `slot` pointed where `before` did and now points where `after` does. */
  private link(slot: number, before: Row | undefined, after: Row | undefined): void {
    for (const [index, pointing] of this.links) {
      const id = this.fields[index]!.def.id
      const was = linkIds(before?.values[id])
      const now = linkIds(after?.values[id])
      if (was.length === now.length && was.every((x, i) => x === now[i])) continue
      for (const target of was) {
        const slots = pointing.get(target)
        const at = slots ? slots.indexOf(slot) : -1
        if (at < 0) continue
        slots!.splice(at, 1)
        if (!slots!.length) pointing.delete(target)
      }
      for (const target of now) {
        const slots = pointing.get(target)
        if (!slots) pointing.set(target, [slot])
        else if (!slots.includes(slot)) slots.push(slot)
      }
    }
  }
}

function valueTexts(field: SearchField, value: FieldValue | undefined): string[] {
  if (value === null || value === undefined) return []
  switch (field.mode) {
    case 'text':
    case 'phone':
      return typeof value === 'string' ? [value] : []
    case 'select':
      return typeof value === 'string' ? [field.def.choices ? choiceLabelOf(field.def, value) : value] : []
    case 'multiSelect':
      return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
    case 'link':
      return []
  }
}

function typed(byChar: Map<number, number[]>): Map<number, Int32Array> {
  return new Map([...byChar].map(([char, list]) => [char, Int32Array.from(list)]))
}

function linkIds(value: FieldValue | undefined): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value : []
}

/** The index of the last value ≤ `at` in an ascending array (a position's entry), not before `from`. */
function lastAtOrBefore(starts: Int32Array, at: number, from = 0): number {
  let lo = from
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= at) lo = mid
    else hi = mid - 1
  }
  return lo
}
