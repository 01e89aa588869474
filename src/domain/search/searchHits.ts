/**
 * One query's hits in one entity, by slot: the best score so far, the entry that scored it (a
 * chunk entry ≥ 0, or −1 − the link field's index for a hit through a link, with the linked
 * record's slot in `linked`), and the best rank among name fields (what links follow).
 * Typed arrays over every slot, no map lookups; kept from one query to the next (`clear` resets
 * only the slots hit), as allocating ~2 MB per keystroke over 100k records fed the GC.
 */
export class SearchHits {
  readonly score: Uint8Array
  readonly nameRank: Uint8Array
  readonly entry: Int32Array
  readonly linked: Int32Array
  /** The matched value's length (folded): shorter ranks first among equal scores. */
  readonly length: Int32Array
  /** The length of the best name-field match (what a hit through a link to this record ranks by). */
  readonly nameLength: Int32Array
  /** Slots with a hit, in the order first hit. */
  readonly touched: number[] = []
  /** Slots with a hit in a name field: what links to them is found too. */
  readonly named: number[] = []

  constructor(slots: number) {
    this.score = new Uint8Array(slots)
    this.nameRank = new Uint8Array(slots)
    this.entry = new Int32Array(slots)
    this.linked = new Int32Array(slots)
    this.length = new Int32Array(slots)
    this.nameLength = new Int32Array(slots)
  }

  /** Ready for the next query. */
  clear(): void {
    for (const slot of this.touched) {
      this.score[slot] = 0
      this.nameRank[slot] = 0
    }
    this.touched.length = 0
    this.named.length = 0
  }

  add(slot: number, score: number, entry: number, length: number, linked = -1, nameRank = 0): void {
    const was = this.score[slot]!
    if (!was) this.touched.push(slot)
    if (score > was || (score === was && length < this.length[slot]!)) {
      this.score[slot] = score
      this.entry[slot] = entry
      this.linked[slot] = linked
      this.length[slot] = length
    }
    if (!nameRank) return
    const wasNamed = this.nameRank[slot]!
    if (!wasNamed) this.named.push(slot)
    if (nameRank > wasNamed || (nameRank === wasNamed && length < this.nameLength[slot]!)) {
      this.nameRank[slot] = nameRank
      this.nameLength[slot] = length
    }
  }
}
