import { recordTitle } from '../recordTitle'
import type { EntityDef, FieldDef, Row, RowPatch, WorkspaceSchema } from '../schema'
import { EntitySearchIndex, MATCH_RANKS, type MatchKind, type PreparedQuery } from './entitySearchIndex'
import { foldSearchText } from './foldSearchText'
import { phoneQuery } from './phoneQuery'
import { SearchHits } from './searchHits'

/** Results per entity when the caller names no limit (the app's and the API's default). */
export const SEARCH_LIMIT_DEFAULT = 5
export const SEARCH_LIMIT_MAX = 50
/** Characters of a query that are searched; the rest is ignored. */
export const SEARCH_QUERY_MAX = 200

export interface SearchHit {
  entity: EntityDef
  row: Row
  /** The record's name (recordTitle). */
  name: string
  /** The field that matched: for a hit through a link, the link field (a contact's company). */
  field: FieldDef
  /** The matched value as stored, or the linked record's name. */
  value: string
  kind: MatchKind
  /** Higher is better: the kind's rank × 2, plus 1 in a name field. */
  score: number
}

export interface SearchGroup {
  entity: EntityDef
  hits: SearchHit[]
}

const KIND_OF_RANK: MatchKind[] = []
for (const [kind, rank] of Object.entries(MATCH_RANKS) as [MatchKind, number][]) KIND_OF_RANK[rank] = kind

/**
 * Search everywhere: every entity's live records by their text, email, phone (any format, with
 * the workspace's default country), select and link fields. Built from rows and kept current
 * with their patches (`applyPatch`), so a query never reads every row; the same code answers the
 * app's search box and `GET /api/v1/search`.
 *
 * Results come grouped by entity, best group first; within a group best first: exact, then the
 * start of the value, then the start of a word, then anywhere (from 3 characters); name fields
 * above other fields of the same kind; then the shorter value, then the record id, so the app
 * and the API order ties alike.
 */
export class SearchIndex {
  private entities = new Map<string, EntitySearchIndex>()
  private schema!: WorkspaceSchema
  /** Each entity's hits, kept for the next query (SearchHits.clear). */
  private hitsOf = new Map<string, SearchHits>()

  constructor(schema: WorkspaceSchema) {
    this.setSchema(schema)
  }

  setSchema(schema: WorkspaceSchema): void {
    this.schema = schema
    const ids = new Set(schema.entities.map((e) => e.id))
    for (const id of this.entities.keys()) if (!ids.has(id)) this.entities.delete(id)
    for (const entity of schema.entities) {
      const index = this.entities.get(entity.id)
      if (index) index.setEntity(entity)
      else this.entities.set(entity.id, new EntitySearchIndex(entity))
    }
  }

  /** Adds or replaces records of an entity (deleted ones leave); an entity not in the schema is ignored. */
  put(entityId: string, rows: Iterable<Row>): void {
    const index = this.entities.get(entityId)
    if (!index) return
    for (const row of rows) index.put(row)
  }

  /** Forgets the entity's records and indexes these instead (a copy of the entity loaded again). */
  reset(entityId: string, rows: Iterable<Row>): void {
    const entity = this.entities.get(entityId)?.entity
    if (!entity) return
    this.entities.set(entityId, new EntitySearchIndex(entity))
    this.put(entityId, rows)
  }

  remove(entityId: string, ids: Iterable<string>): void {
    const index = this.entities.get(entityId)
    if (!index) return
    for (const id of ids) index.remove(id)
  }

  applyPatch(entityId: string, patch: RowPatch): void {
    this.put(entityId, patch.added)
    this.put(entityId, patch.updated)
    this.remove(entityId, patch.removed)
  }

  /** Records indexed, over all entities. */
  size(): number {
    let n = 0
    for (const index of this.entities.values()) n += index.size
    return n
  }

  /** Chunks still to fold: a query folds them first (see prepare). */
  pendingChunks(): number {
    let n = 0
    for (const index of this.entities.values()) n += index.pendingChunks()
    return n
  }

  /**
   * Folds up to `maxChunks` pending chunks (256 records each, ~1 ms): a caller that must not
   * block (the app's page) builds the index a few chunks per task before the first query.
   * True when nothing is pending.
   */
  prepare(maxChunks: number): boolean {
    let left = maxChunks
    for (const index of this.entities.values()) {
      if (left <= 0) break
      left -= index.prepare(left)
    }
    return this.pendingChunks() === 0
  }

  /** The records matching `text`, grouped by entity; at most `limit` per entity. */
  query(text: string, options: { limit?: number } = {}): SearchGroup[] {
    const limit = Math.max(1, Math.min(SEARCH_LIMIT_MAX, Math.floor(options.limit ?? SEARCH_LIMIT_DEFAULT)))
    const prepared = prepareQuery(text, this.schema.workspace?.defaultCountry)
    if (!prepared) return []
    const hits = new Map<string, SearchHits>()
    for (const [id, index] of this.entities) {
      index.prepare(Number.POSITIVE_INFINITY)
      let found = this.hitsOf.get(id)
      if (found && found.score.length >= index.slotCount()) found.clear()
      else this.hitsOf.set(id, (found = new SearchHits(index.slotCount() + 1024)))
      index.search(prepared, found)
      hits.set(id, found)
    }
    // a record is found by the names of the records it links to, as they were found themselves
    for (const [id, index] of this.entities) {
      for (const [targetId, targetHits] of hits) {
        if (index.fields.some((f) => f.mode === 'link' && f.def.linkEntity === targetId)) {
          index.searchLinks(targetId, targetHits, this.entities.get(targetId)!, hits.get(id)!)
        }
      }
    }
    const groups: SearchGroup[] = []
    for (const [id, index] of this.entities) {
      const found = hits.get(id)!
      if (found.touched.length) groups.push({ entity: index.entity, hits: this.best(index, found, limit) })
    }
    return groups.sort((a, b) => b.hits[0]!.score - a.hits[0]!.score || a.entity.order - b.entity.order)
  }

  /**
   * The best `limit` hits of an entity, by score, then shorter value, then id: picked in one pass
   * over the hits (a common word hits tens of thousands of records; sorting them all took
   * 100+ ms), and only these are described and named.
   */
  private best(index: EntitySearchIndex, found: SearchHits, limit: number): SearchHit[] {
    const { score, length } = found
    const before = (a: number, b: number) =>
      score[a]! - score[b]! || length[b]! - length[a]! || compareIds(index.row(b)!.id, index.row(a)!.id)
    // the best so far, best first; a hit enters only if it beats the last
    const top: number[] = []
    for (const slot of found.touched) {
      if (top.length === limit && before(slot, top[limit - 1]!) <= 0) continue
      let at = top.length === limit ? limit - 1 : top.length
      while (at > 0 && before(slot, top[at - 1]!) > 0) {
        top[at] = top[at - 1]!
        at--
      }
      top[at] = slot
    }
    return top.map((slot) => {
      const row = index.row(slot)!
      const { field, value } = this.describe(index, found, slot)
      return { entity: index.entity, row, name: recordTitle(index.entity, row), field, value, kind: KIND_OF_RANK[score[slot]! >> 1]!, score: score[slot]! }
    })
  }

  private describe(index: EntitySearchIndex, found: SearchHits, slot: number): { value: string; field: FieldDef } {
    const entry = found.entry[slot]!
    if (entry >= 0) {
      const { field, value } = index.entryOf(slot, entry)
      return { field: field.def, value }
    }
    const field = index.fields[-1 - entry]!.def
    const target = this.entities.get(field.linkEntity!)!
    return { field, value: recordTitle(target.entity, target.row(found.linked[slot]!)!) }
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The query folded, and its phone forms; null when nothing is left to search. */
function prepareQuery(text: string, defaultCountry: string | undefined): PreparedQuery | null {
  const cut = text.slice(0, SEARCH_QUERY_MAX)
  const folded = foldSearchText(cut)
  if (!folded) return null
  return { text: folded, phone: phoneQuery(cut, defaultCountry) }
}
