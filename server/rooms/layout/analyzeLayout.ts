import * as Y from 'yjs'
import { type ContentKind, type DocumentLayout } from './layoutRules'

/** Where an item sits: its role and, when known, its key in the parent map. */
export interface Place {
  role: number
  key: string | null
}

/**
 * What the relay knows of an item it has (stored, or accepted for storing): its place, or
 * `harmless` when the item is gone for good (garbage-collected: Yjs drops whatever hangs off
 * it). null when the relay does not have the item.
 */
export type KnownPlace = Place | 'harmless' | null
export type PlaceLookup = (client: number, clock: number) => KnownPlace

/** An item of the update at a root of the document (ranges to add to the room's index). */
export interface PlacedItem {
  client: number
  clock: number
  length: number
  place: Place
}

export interface LayoutAnalysis {
  /** Why the update breaks the layout (the first problem found), or null. */
  violation: string | null
  /** Items the update hangs off that neither the relay nor the update has, flattened [client, clock, …]. */
  missing: number[]
  /** The update's items whose place is known, for the room's index (filtered by the caller). */
  placed: PlacedItem[]
}

type Struct = Y.Item | Y.GC | Y.Skip

const HARMLESS = 'harmless' as const
type Resolved = Place | typeof HARMLESS | { missing: [number, number] } | { violation: string }
const isPlace = (r: Resolved): r is Place => r !== HARMLESS && 'role' in r

export function contentKind(item: Y.Item): ContentKind {
  const content = item.content
  if (content instanceof Y.ContentAny) return { kind: 'json', values: content.arr }
  if (content instanceof Y.ContentDeleted) return { kind: 'deleted' }
  if (content instanceof Y.ContentType) {
    const type = content.type
    if (type instanceof Y.Map) return { kind: 'map' }
    return { kind: 'type', name: type instanceof Y.Text ? 'Y.Text' : type instanceof Y.Array ? 'Y.Array' : 'Y.XmlFragment' }
  }
  return { kind: 'other', name: content.constructor.name.replace(/^Content/, 'content ').toLowerCase() }
}

/** The update's structs of each client, in clock order, for finding the one holding a clock. */
function byClient(structs: readonly Struct[]): Map<number, Struct[]> {
  const map = new Map<number, Struct[]>()
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue
    let list = map.get(struct.id.client)
    if (!list) map.set(struct.id.client, (list = []))
    list.push(struct)
  }
  for (const list of map.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  return map
}

function findIn(list: Struct[] | undefined, clock: number): Struct | null {
  if (!list) return null
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const s = list[mid] as Struct
    if (clock < s.id.clock) hi = mid - 1
    else if (clock >= s.id.clock + s.length) lo = mid + 1
    else return s
  }
  return null
}

/**
 * Checks every item of a decoded update against the layout. An item's place is its parent's
 * (a root type by name, or the map item it names) — or, when it carries an origin instead (an
 * overwrite in a map, an insert next to something in a list; Yjs V1 then writes no parent),
 * the place of the item it sits next to. Those are looked up in the update itself first, then
 * with `lookup` (what the room has). Deletions are always allowed. `placeAll` lists every item
 * whose place is known, even one whose content breaks the layout (indexing what is stored).
 */
export function analyzeLayout(structs: readonly Struct[], layout: DocumentLayout, lookup: PlaceLookup, options: { placeAll?: boolean } = {}): LayoutAnalysis {
  return new Analysis(structs, layout, lookup).run(options.placeAll ?? false)
}

/*
 * One update's analysis. A class rather than closures inside analyzeLayout: this runs for every
 * update a client sends, and the relay runs under tsx (esbuild keepNames), where every closure
 * made per call also pays a defineProperty for its name.
 */
class Analysis {
  private readonly clients: Map<number, Struct[]>
  private readonly memo = new Map<Struct, Resolved>()

  constructor(
    private readonly structs: readonly Struct[],
    private readonly layout: DocumentLayout,
    private readonly lookup: PlaceLookup,
  ) {
    this.clients = byClient(structs)
  }

  run(placeAll: boolean): LayoutAnalysis {
    const missing: number[] = []
    const placed: PlacedItem[] = []
    let violation: string | null = null
    for (const struct of this.structs) {
      if (!(struct instanceof Y.Item)) continue
      const place = this.resolve(struct)
      if (place === HARMLESS) continue
      if ('missing' in place) {
        missing.push(place.missing[0], place.missing[1])
        continue
      }
      if ('violation' in place) {
        violation ??= `${place.violation}`
        continue
      }
      const content = contentKind(struct)
      const problem = this.layout.contentProblem(place.role, place.key, content)
      if (problem) {
        violation ??= `${this.layout.place(place.role, place.key)} ${problem}`
        if (!placeAll) continue
      }
      placed.push({ client: struct.id.client, clock: struct.id.clock, length: struct.length, place })
    }
    return { violation, missing, placed }
  }

  /** The place of the entries of a map item at `parent` (`parentItem` when the update has it). */
  private childPlace(parent: Resolved, parentItem: Struct | null, key: string | null): Resolved {
    if (!isPlace(parent)) return parent
    // Entries of deleted content are collected with it; a parent that is not a map is refused itself.
    if (parentItem && !isMapItem(parentItem)) return HARMLESS
    const role = this.layout.childRole(parent.role, parent.key)
    if (role === null) return { violation: `${this.layout.place(parent.role, parent.key)} may hold no entries` }
    return { role, key: this.layout.childKey ? this.layout.childKey(parent.role, parent.key, key) : key }
  }

  /** The struct of the update holding this id, or what the room knows of it. */
  private locate(id: Y.ID): Struct | Resolved {
    const inUpdate = findIn(this.clients.get(id.client), id.clock)
    if (inUpdate) return inUpdate
    const known = this.lookup(id.client, id.clock)
    if (known === null) return { missing: [id.client, id.clock] }
    return known
  }

  private resolve(start: Struct): Resolved {
    const { memo, layout } = this
    // Iterative: an overwrite chain can be thousands of items long. `path` holds the items whose
    // place follows from the next one: the same place (an origin) or one level below (a parent).
    const path: Array<{ item: Y.Item; parent: Struct; isChild: boolean }> = []
    let current: Struct = start
    let base: Resolved
    for (;;) {
      const memoized = memo.get(current)
      if (memoized) { base = memoized; break }
      if (path.length > this.structs.length) { base = { violation: 'items that hang off each other in a circle' }; break }
      if (!(current instanceof Y.Item)) { base = HARMLESS; break }
      const item = current
      if (typeof item.parent === 'string') {
        const role = layout.rootRole(item.parent)
        base = role === null ? { violation: `a root type "${item.parent}" is not part of this document` } : { role, key: item.parentSub }
        break
      }
      const next = item.parent instanceof Y.ID ? item.parent : (item.origin ?? item.rightOrigin)
      if (!next) { base = { violation: 'an item without a place' }; break }
      const found = this.locate(next)
      const isParent = item.parent instanceof Y.ID
      if (found instanceof Y.Item || found instanceof Y.GC) {
        path.push({ item, parent: found, isChild: isParent })
        current = found
        continue
      }
      base = isParent ? this.childPlace(found as Resolved, null, item.parentSub) : (found as Resolved)
      break
    }
    memo.set(current, base)
    for (let k = path.length - 1; k >= 0; k--) {
      const step = path[k] as { item: Y.Item; parent: Struct; isChild: boolean }
      if (step.isChild) base = this.childPlace(base, step.parent, step.item.parentSub)
      memo.set(step.item, base)
    }
    return memo.get(start) as Resolved
  }
}

/** contentKind(item).kind === 'map', without building the kind. */
function isMapItem(struct: Struct): boolean {
  return struct instanceof Y.Item && struct.content instanceof Y.ContentType && struct.content.type instanceof Y.Map
}
