import * as Y from 'yjs'
import { AUTOMATION_DOC, SCHEMA_DOC } from '../../../src/crdt/docNames'
import type { FieldType } from '../../../src/domain/schema'
import type { UpdateInspection } from '../inspectUpdate'
import { addRanges, coversRange, normalizeRanges, type ClockRange } from '../clockRanges'
import { analyzeLayout, type KnownPlace, type LayoutAnalysis, type PlacedItem } from './analyzeLayout'
import {
  AUTOMATION_LAYOUT, automationLayout, automationWriteProblem, entityLayout, ROLE_RECORD, ROLE_RECORD_VALUE, ownedIdOf, SCHEMA_LAYOUT, schemaLayout,
  type DocumentLayout, type LayoutWriter,
} from './layoutRules'
import { mayWriteView } from '../../../src/domain/views/savedView'
import { PlaceIndex } from './placeIndex'
import type { SchemaFieldTypes } from './schemaFieldTypes'

const ENTITY_PREFIX = 'entity-'

/** Which layout a document has: entity documents, the schema and the automation document; other documents are not checked. */
export type LayoutKind = { kind: 'entity'; entityId: string } | { kind: 'schema' } | { kind: 'automation' }

export function layoutKindOf(documentName: string): LayoutKind | null {
  if (documentName === SCHEMA_DOC) return { kind: 'schema' }
  if (documentName === AUTOMATION_DOC) return { kind: 'automation' }
  if (documentName.startsWith(ENTITY_PREFIX)) return { kind: 'entity', entityId: documentName.slice(ENTITY_PREFIX.length) }
  return null
}

/** What a big update's check needs in a worker: the rules' inputs and what the room has. */
export interface LayoutTaskInput {
  fields: Array<[string, FieldType]>
  /** PlaceIndex.pack() of the room's records. */
  index: Float64Array
  /** The room's contiguous clocks, flattened [client, clock, …]. */
  known: Float64Array
}

/** A worker's answer: the analysis, with the placed items packed as [client, clock, length, role, …]. */
export interface PackedAnalysis {
  violation: string | null
  missing: number[]
  placed: Float64Array
}

export type Verdict = { ok: true; analysis: LayoutAnalysis } | { ok: false; violation: string } | { ok: false; missing: number[] }

interface Held {
  missing: number[]
  retry: () => void
}

/** Held updates of one connection at most: beyond, the oldest is dropped (the client's next sync step 2 carries it again). */
const MAX_HELD = 64

/**
 * One room's enforcement of its document's layout (see layoutRules.ts): checks incoming
 * updates against what the room has, and keeps the index that needs — the places of the
 * root-level items (entity documents: one per record; the schema: every item, it is small).
 * An item of an overwrite names only the item it replaces, whose place the index answers;
 * any other id the room has is a record's entry.
 *
 * An update that hangs off items the relay has not got (a client's edit racing its own sync
 * step 2, or a tab's edit to another tab's record that has not synced yet) can be neither
 * refused nor proven fine: it is held — neither stored nor forwarded — and checked again once
 * the room has those items; the sender is asked (with our state vector) for what it has that
 * we lack. A held update whose sender goes away is dropped: a stock client sends it again
 * in its sync step 2 when it reconnects.
 */
export class LayoutGuard {
  private readonly index: PlaceIndex
  private readonly known = new Map<number, number>()
  private readonly held = new Map<object, Held[]>()
  private entityRules: { fields: ReadonlyMap<string, FieldType>; layout: DocumentLayout } | null = null
  private readonly schemaLayouts = new Map<string, DocumentLayout>()
  /**
   * The schema's (and the automation document's) deleted items: a client's sync step 2 carries its whole delete set, other
   * members' old deletions too, which a view's delete check must not count as theirs.
   */
  private readonly deleted = new Map<number, ClockRange[]>()

  constructor(readonly layoutKind: LayoutKind, private readonly fieldTypes: SchemaFieldTypes) {
    // the schema and the automation document are small: every item is indexed with its key
    this.index = new PlaceIndex(layoutKind.kind !== 'entity')
  }

  /** The rules, made again only when the schema's fields of this entity were read again (checked per update). */
  layout(): DocumentLayout {
    if (this.layoutKind.kind === 'schema') return SCHEMA_LAYOUT
    if (this.layoutKind.kind === 'automation') return AUTOMATION_LAYOUT
    const fields = this.fieldTypes.of(this.layoutKind.entityId)
    if (!this.entityRules || this.entityRules.fields !== fields) this.entityRules = { fields, layout: entityLayout(fields) }
    return this.entityRules.layout
  }

  /** Indexes a stored document (its rows in order), on this thread; `known` is what the room covers. */
  build(updates: readonly Uint8Array[], known: ReadonlyMap<number, number>): void {
    for (const placed of indexDocument(updates, this.layout())) this.addPlaced(placed)
    this.setKnown(known)
    if (this.layoutKind.kind !== 'entity' && updates.length) {
      const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates as Uint8Array[])
      for (const [client, items] of Y.decodeUpdate(merged).ds.clients) this.addDeleted(client, normalizeRanges(items.map((d): ClockRange => [d.clock, d.clock + d.len])))
    }
  }

  /** Takes an index a worker built (see indexDocument / packPlaced). */
  adopt(packed: Float64Array, known: ReadonlyMap<number, number>): void {
    for (const placed of unpackPlaced(packed)) this.addPlaced(placed)
    this.setKnown(known)
  }

  lookup = (client: number, clock: number): KnownPlace => {
    const place = this.index.get(client, clock)
    if (place) return place
    if (clock >= (this.known.get(client) ?? 0)) return null
    // Everything else of an entity document sits in a record; the schema's index has every live item.
    return this.layoutKind.kind === 'entity' ? { role: ROLE_RECORD_VALUE, key: null } : 'harmless'
  }

  /**
   * `writer` 'relay': the relay's own write (writeServerUpdate), which may hold what only the relay
   * writes. `member`: the client's member, when what they may write depends on who they are (the
   * schema's saved views, see schemaLayout); absent, the shapes alone are checked.
   */
  check(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, writer: LayoutWriter = 'client', member?: { id: string; role: string }, deletes?: UpdateInspection['deletes']): Verdict {
    if (this.layoutKind.kind === 'automation') return this.checkAutomation(structs, writer === 'relay' ? 'relay' : member ?? null, deletes)
    const memberSchema = writer === 'client' && member && this.layoutKind.kind === 'schema' ? member : null
    const layout = writer === 'relay' && this.layoutKind.kind === 'entity' ? entityLayout(this.fieldTypes.of(this.layoutKind.entityId), 'relay')
      : memberSchema ? this.memberSchemaLayout(memberSchema) : this.layout()
    const verdict = verdictOf(analyzeLayout(newStructsOf(structs, this.known), layout, this.lookup))
    // deletions pass the layout anywhere; of a view, only its writers may make them
    const deleteProblem = verdict.ok && memberSchema && deletes?.size ? this.viewDeleteProblem(deletes, memberSchema) : null
    return deleteProblem ? { ok: false, violation: deleteProblem } : verdict
  }

  /**
   * Whether every item an update deletes that the room has is part of a view `member` may write
   * (the layout check allows deletions everywhere; a viewer's update must delete nothing else).
   * Items the update itself brings are checked with it. Beyond `limit` deleted items: false.
   */
  deletesOnlyWritableViews(deletes: UpdateInspection['deletes'], member: { id: string; role: string }, limit = 4096): boolean {
    return this.everyDeleted(deletes, limit, (place) => {
      const viewId = viewIdOf(place)
      return viewId !== null && mayWriteView(viewId, member)
    }) === true
  }

  /**
   * The automation document: what the writer may write (automationWriteProblem) and the shapes;
   * deletions of what the room has only where the writer may write too (a member's update
   * removing a rule, or another member's run log, is refused like writing it).
   */
  private checkAutomation(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, writer: 'relay' | { id: string; role: string } | null, deletes?: UpdateInspection['deletes']): Verdict {
    const layout = writer === null ? AUTOMATION_LAYOUT : writer === 'relay' ? automationLayout('relay') : this.memberAutomationLayout(writer)
    const verdict = verdictOf(analyzeLayout(newStructsOf(structs, this.known), layout, this.lookup))
    if (!verdict.ok || writer === null || writer === 'relay' || !deletes?.size) return verdict
    let problem: string | null = null
    const complete = this.everyDeleted(deletes, 65_536, (place) => {
      if (!place) return true
      const why = automationWriteProblem(writer, place.role, place.key)
      if (why) problem = `deletes part of ${layout.place(place.role, place.key)}, which ${why}`
      return why === null
    })
    if (complete === 'limit') return { ok: false, violation: 'deletes more than 65536 items of the automation document at once' }
    return problem ? { ok: false, violation: problem } : verdict
  }

  private memberAutomationLayout(member: { id: string; role: string }): DocumentLayout {
    const key = `automation:${member.role}:${member.id}`
    let layout = this.schemaLayouts.get(key)
    if (!layout) this.schemaLayouts.set(key, (layout = automationLayout(member)))
    return layout
  }

  /** Why an update of `member` may not delete what it deletes: a part of a view they may not write (another member's personal view); null when it may. */
  private viewDeleteProblem(deletes: UpdateInspection['deletes'], member: { id: string; role: string }): string | null {
    let problem: string | null = null
    // a schema update deletes a few overwritten entries; past this many, the rest go unchecked
    this.everyDeleted(deletes, 65_536, (place) => {
      const owned = place ? ownedIdOf(place.role, place.key) : null
      if (owned === null || mayWriteView(owned.id, member)) return true
      problem = `deletes part of ${owned.what}s[${JSON.stringify(owned.id)}], ${owned.id.startsWith('s.') ? `a shared ${owned.what}: editors and admins change those` : `another member's personal ${owned.what}`}`
      return false
    })
    return problem
  }

  /** Visits the places of the deleted items the room has, until `visit` says false; 'limit' when there were more. */
  private everyDeleted(deletes: UpdateInspection['deletes'], limit: number, visit: (place: KnownPlaceOf) => boolean): boolean | 'limit' {
    let budget = limit
    for (const [client, ranges] of deletes) {
      const known = this.known.get(client) ?? 0
      for (const [start, end] of ranges) {
        const deleted = this.deleted.get(client)
        for (let clock = start; clock < Math.min(end, known); clock++) {
          if (deleted && coversRange(deleted, clock, clock + 1)) continue
          if (--budget < 0) return 'limit'
          const place = this.lookup(client, clock)
          if (place === 'harmless') continue
          if (!visit(place)) return false
        }
      }
    }
    return true
  }

  /** The schema's rules for one member, made once per member and role. */
  private memberSchemaLayout(member: { id: string; role: string }): DocumentLayout {
    const key = `${member.role}:${member.id}`
    let layout = this.schemaLayouts.get(key)
    if (!layout) this.schemaLayouts.set(key, (layout = schemaLayout(member)))
    return layout
  }

  /** Inputs for a worker's check of a big update (entity documents; the schema is checked here). */
  taskInput(): LayoutTaskInput | null {
    if (this.layoutKind.kind !== 'entity') return null
    const known = new Float64Array(this.known.size * 2)
    let at = 0
    for (const [client, clock] of this.known) {
      known[at++] = client
      known[at++] = clock
    }
    return { fields: [...this.fieldTypes.of(this.layoutKind.entityId)], index: this.index.pack(), known }
  }

  /** Records an update that passed (before it is stored: later updates may hang off it), and frees held updates it completes. */
  accept(analysis: LayoutAnalysis, inspection: UpdateInspection): void {
    for (const placed of analysis.placed) this.addPlaced(placed)
    if (this.layoutKind.kind !== 'entity') for (const [client, ranges] of inspection.deletes) this.addDeleted(client, ranges)
    for (const [client, ranges] of inspection.structs) {
      let clock = this.known.get(client) ?? 0
      for (const [start, end] of ranges) if (start <= clock && end > clock) clock = end
      this.known.set(client, clock)
    }
    this.release()
  }

  /** Holds an update until the room has the items in `missing`; true when the owner had nothing held yet. */
  hold(owner: object, missing: number[], retry: () => void): boolean {
    let list = this.held.get(owner)
    const first = !list
    if (!list) this.held.set(owner, (list = []))
    list.push({ missing, retry })
    if (list.length > MAX_HELD) list.shift()
    return first
  }

  /** Something of this room was stored: a stored schema changes what entity documents may hold. */
  stored(): void {
    if (this.layoutKind.kind === 'schema') this.fieldTypes.invalidate()
  }

  /** The owner is gone: its held updates with it. */
  forget(owner: object): void {
    this.held.delete(owner)
  }

  heldCount(): number {
    let n = 0
    for (const list of this.held.values()) n += list.length
    return n
  }

  private release(): void {
    if (this.held.size === 0) return
    for (const [owner, list] of this.held) {
      const ready = list.filter((held) => this.hasAll(held.missing))
      if (ready.length === 0) continue
      const rest = list.filter((held) => !ready.includes(held))
      if (rest.length > 0) this.held.set(owner, rest)
      else this.held.delete(owner)
      // Checked again from the start, after the update that completed them.
      for (const held of ready) setImmediate(held.retry)
    }
  }

  private hasAll(missing: number[]): boolean {
    for (let i = 0; i < missing.length; i += 2) if (this.lookup(missing[i] as number, missing[i + 1] as number) === null) return false
    return true
  }

  private addPlaced(placed: PlacedItem): void {
    // Entity documents index only records (about one item each); the schema everything.
    if (this.layoutKind.kind === 'entity' && placed.place.role !== ROLE_RECORD) return
    this.index.add(placed.client, placed.clock, placed.length, placed.place)
  }

  private addDeleted(client: number, ranges: readonly ClockRange[]): void {
    let known = this.deleted.get(client)
    if (!known) this.deleted.set(client, (known = []))
    addRanges(known, ranges)
  }

  private setKnown(known: ReadonlyMap<number, number>): void {
    for (const [client, clock] of known) this.known.set(client, Math.max(clock, this.known.get(client) ?? 0))
  }
}

type KnownPlaceOf = Exclude<KnownPlace, 'harmless'>

/** The view (report, dashboard) a place belongs to (its map or one of its properties), when its key is known. */
function viewIdOf(place: KnownPlaceOf): string | null {
  if (!place) return null
  // reports and dashboards are owned like views (same id scheme)
  return ownedIdOf(place.role, place.key)?.id ?? null
}

type Struct = Y.Item | Y.GC | Y.Skip
const isCovered = (struct: Struct, known: ReadonlyMap<number, number>) =>
  struct instanceof Y.Item && struct.id.clock + struct.length <= (known.get(struct.id.client) ?? 0)

/**
 * The update's items the room does not have yet. A client's sync step 2 that races the relay's
 * own write (a `number@` entry broadcast after the relay's step 1) sends that write back; the room
 * keeps its own copy, so it is not checked again as the client's.
 */
function newStructsOf(structs: ReadonlyArray<Struct>, known: ReadonlyMap<number, number>): ReadonlyArray<Struct> {
  // A loop rather than some() with a closure: this runs for every client update, and most have nothing covered.
  for (const struct of structs) if (isCovered(struct, known)) return structs.filter((s) => !isCovered(s, known))
  return structs
}

export function verdictOf(analysis: LayoutAnalysis): Verdict {
  if (analysis.violation) return { ok: false, violation: analysis.violation }
  if (analysis.missing.length > 0) return { ok: false, missing: analysis.missing }
  return { ok: true, analysis }
}

/**
 * The places of a stored document's items, whatever their content (what was stored before
 * the relay checked layouts counts too: a string at `records["x"]` is still at the root).
 */
export function indexDocument(updates: readonly Uint8Array[], layout: DocumentLayout): PlacedItem[] {
  if (updates.length === 0) return []
  const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates as Uint8Array[])
  return analyzeLayout(Y.decodeUpdate(merged).structs, layout, () => null, { placeAll: true }).placed
}

/** A worker's check of a big update of an entity document. */
export function analyzeInWorker(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, input: LayoutTaskInput): PackedAnalysis {
  const index = PlaceIndex.unpack(input.index)
  const known = new Map<number, number>()
  for (let i = 0; i < input.known.length; i += 2) known.set(input.known[i] as number, input.known[i + 1] as number)
  const lookup = (client: number, clock: number): KnownPlace => index.get(client, clock) ?? (clock < (known.get(client) ?? 0) ? { role: ROLE_RECORD_VALUE, key: null } : null)
  const analysis = analyzeLayout(newStructsOf(structs, known), entityLayout(new Map(input.fields)), lookup)
  return { violation: analysis.violation, missing: analysis.missing, placed: packPlaced(analysis.placed.filter((p) => p.place.role === ROLE_RECORD)) }
}

export function unpackAnalysis(packed: PackedAnalysis): LayoutAnalysis {
  return { violation: packed.violation, missing: packed.missing, placed: unpackPlaced(packed.placed) }
}

/** Placed items (roles only) as [client, clock, length, role, …]. */
export function packPlaced(placed: readonly PlacedItem[]): Float64Array {
  const packed = new Float64Array(placed.length * 4)
  placed.forEach((p, i) => packed.set([p.client, p.clock, p.length, p.place.role], i * 4))
  return packed
}

function unpackPlaced(packed: Float64Array): PlacedItem[] {
  const out: PlacedItem[] = []
  for (let i = 0; i < packed.length; i += 4) {
    out.push({ client: packed[i] as number, clock: packed[i + 1] as number, length: packed[i + 2] as number, place: { role: packed[i + 3] as number, key: null } })
  }
  return out
}
