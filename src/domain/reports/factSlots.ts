/**
 * What reports keep of their rows as typed columns, one slot per worked-out row: a row's facts
 * are its slot's number (a small integer, no object), so a report's first run over 100k rows
 * leaves 100k numbers behind instead of 100k little objects and arrays for the collector to copy
 * (allocation and garbage collection were most of a first run's time). `ints` hold ids and
 * small counts, `floats` values (NaN: none), `refs` what a number cannot hold (a string the row
 * already holds: one array of pointers, no object per row). Slots of rows replaced since are garbage until
 * `compact` copies the live ones to the front.
 */
export interface FactSlots {
  ints: Int32Array[]
  floats: Float64Array[]
  refs: unknown[][]
  /** Slots handed out so far. */
  used: number
  /** A new slot, the columns grown when full. */
  take(): number
}

export function makeFactSlots(ints: number, floats: number, capacity = 1024, refs = 0): FactSlots {
  const slots: FactSlots = {
    ints: Array.from({ length: ints }, () => new Int32Array(capacity)),
    floats: Array.from({ length: floats }, () => new Float64Array(capacity)),
    // plain arrays grow by themselves
    refs: Array.from({ length: refs }, () => []),
    used: 0,
    take() {
      if (slots.used === capacity) {
        capacity *= 2
        slots.ints = slots.ints.map((c) => grown(c, new Int32Array(capacity)))
        slots.floats = slots.floats.map((c) => grown(c, new Float64Array(capacity)))
      }
      return slots.used++
    },
  }
  return slots
}

function grown<A extends Int32Array | Float64Array>(from: A, to: A): A {
  to.set(from)
  return to
}

/**
 * When more than half the slots belong to rows no longer there, the live ones (the numbers among
 * `facts`, renumbered in place) move to a new set of columns in the rows' order.
 */
export function compactFactSlots(slots: FactSlots, facts: unknown[]): FactSlots {
  if (slots.used <= 2 * facts.length + 1024) return slots
  const into = makeFactSlots(slots.ints.length, slots.floats.length, Math.max(1024, facts.length), slots.refs.length)
  for (let r = 0; r < facts.length; r++) {
    const from = facts[r]
    if (typeof from !== 'number') continue
    const to = into.take()
    for (let c = 0; c < slots.ints.length; c++) into.ints[c]![to] = slots.ints[c]![from]!
    for (let c = 0; c < slots.floats.length; c++) into.floats[c]![to] = slots.floats[c]![from]!
    for (let c = 0; c < slots.refs.length; c++) into.refs[c]![to] = slots.refs[c]![from]
    facts[r] = to
  }
  return into
}
