import type { DeleteRange, ItemId, MapItemWrite } from './encodeUpdateV1'
import { COL_CREATED_AT, COL_CREATED_BY, COL_DELETED_AT, META_DELETED_BY, META_PURGED_AT, ORIGIN_NONE } from './recordTable'
import type { TablePlan } from './tablePlan'
import { editStampKey, isStampedKey } from './editStamp'

const RECORDS = 'records'

/** A cell item by slot and key (client index; origin client -1: none, -2: not known). */
export interface WrittenItem { slot: number; key: string; client: number; clock: number; originClient: number; originClock: number }
export interface ReplacedCellItem extends WrittenItem { value: unknown }

/** Local writes: items with consecutive clocks, each naming its key's last item as origin. */
export class LocalWriter {
  readonly items: MapItemWrite[] = []
  readonly deletes: DeleteRange[] = []
  /** Cell items written, and live cell items deleted with the values they held (for undo). */
  readonly written: WrittenItem[] = []
  readonly replaced: ReplacedCellItem[] = []
  /** The map item of each record this write creates, by slot: a lookup in the plan's ops made a write of n new records O(n²). */
  private readonly recordItems = new Map<number, ItemId>()
  /** The values this write set, by cell (slot × 65536 + col, as TablePlan keys cells). */
  private readonly values = new Map<number, unknown>()

  constructor(private plan: TablePlan, private me: number, private start: number) {}

  newRecord(id: string): number {
    const clock = this.start + this.items.length
    this.items.push({ origin: null, parent: RECORDS, key: id, content: { kind: 'map' } })
    const slot = this.plan.addRecord(id, this.me, clock)
    this.recordItems.set(slot, { client: this.plan.table.clients[this.me]!, clock })
    return slot
  }

  has(slot: number, key: string): boolean {
    const col = this.plan.table.keys.get(key)
    return col !== undefined && this.plan.current(slot, col).signed > 0
  }

  get(slot: number, key: string): unknown {
    if (!this.has(slot, key)) return undefined
    const col = this.plan.table.keys.get(key)!
    // the value planned in this write wins over the table's row
    const cell = slot * 65536 + col
    if (this.values.has(cell)) return this.values.get(cell)
    const row = this.plan.table.rows[slot]!
    if (col === COL_CREATED_AT) return row.createdAt
    if (col === COL_CREATED_BY) return row.createdBy
    if (col === COL_DELETED_AT) return row.deletedAt
    if (key === META_DELETED_BY) return row.deletedBy
    if (key === META_PURGED_AT) return row.purgedAt
    return row.values[key]
  }

  set(slot: number, key: string, value: unknown): void {
    const table = this.plan.table
    const col = table.col(key)
    const cur = this.plan.current(slot, col)
    const clock = this.start + this.items.length
    let origin: ItemId | null = null
    if (cur.signed !== 0) origin = { client: table.clients[Math.abs(cur.signed) - 1]!, clock: cur.clock }
    if (cur.signed > 0) {
      this.replaced.push({ slot, key, client: cur.signed - 1, clock: cur.clock, originClient: cur.originClient, originClock: cur.originClock, value: this.get(slot, key) })
      this.deletes.push({ client: cur.signed - 1, clock: cur.clock, len: 1 })
    }
    this.written.push({ slot, key, client: this.me, clock, originClient: cur.signed === 0 ? -1 : Math.abs(cur.signed) - 1, originClock: cur.clock })
    const parent = slot < table.size
      ? { client: table.clients[table.recordClient(slot)]!, clock: table.recordClock(slot) }
      : this.newRecordItem(slot)
    this.items.push({ origin, parent, key, content: { kind: 'any', value } })
    this.plan.writeCell(slot, col, this.me, clock, value, false, cur.signed === 0 ? ORIGIN_NONE : Math.abs(cur.signed) - 1, cur.clock)
    this.values.set(slot * 65536 + col, value)
  }

  /**
   * Stamps a write of `key` with the edit's time (editStamp.ts). No step of undo: an undo
   * neither removes it nor brings an older time back, it writes its own.
   */
  stampEdit(slot: number, key: string, at: string): void {
    if (!isStampedKey(key)) return
    const written = this.written.length
    const replaced = this.replaced.length
    this.set(slot, editStampKey(key), at)
    this.written.length = written
    this.replaced.length = replaced
  }

  remove(slot: number, key: string): void {
    const col = this.plan.table.keys.get(key)
    if (col === undefined) return
    const cur = this.plan.current(slot, col)
    if (cur.signed <= 0) return
    this.replaced.push({ slot, key, client: cur.signed - 1, clock: cur.clock, originClient: cur.originClient, originClock: cur.originClock, value: this.get(slot, key) })
    this.deletes.push({ client: cur.signed - 1, clock: cur.clock, len: 1 })
    this.plan.deleteCell(slot, col)
  }

  private newRecordItem(slot: number): ItemId {
    const item = this.recordItems.get(slot)
    if (!item) throw new Error(`no record item for slot ${slot}`)
    return item
  }
}
