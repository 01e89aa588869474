/**
 * One query's hits in one entity, by slot: the best score so far, the entry that scored it (a
 * chunk entry ≥ 0, or −1 − the link field's index for a hit through a link, with the linked
 * record's slot in `linked`), and the best rank among name fields (what links follow).
 * Typed arrays over every slot: 100k records cost ~0.6 MB per query and no map lookups.
 */
export class SearchHits {
  readonly score: Uint8Array
  readonly nameRank: Uint8Array
  readonly entry: Int32Array
  readonly linked: Int32Array
  /** Slots with a hit, in the order first hit. */
  readonly touched: number[] = []

  constructor(slots: number) {
    this.score = new Uint8Array(slots)
    this.nameRank = new Uint8Array(slots)
    this.entry = new Int32Array(slots)
    this.linked = new Int32Array(slots)
  }

  add(slot: number, score: number, entry: number, linked = -1, nameRank = 0): void {
    const was = this.score[slot]!
    if (!was) this.touched.push(slot)
    if (score > was) {
      this.score[slot] = score
      this.entry[slot] = entry
      this.linked[slot] = linked
    }
    if (nameRank > this.nameRank[slot]!) this.nameRank[slot] = nameRank
  }
}
