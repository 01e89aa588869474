import { DUPLICATE_REASONS, type DuplicateGroup } from './findDuplicates'

/**
 * Duplicate groups as one string and three typed arrays: a thread hands them over as four values
 * (a structured clone of 8,000 groups as objects took 5–70 ms to read on the receiving event
 * loop), and a page of them is read without unpacking the rest.
 */
export interface PackedDuplicateGroups {
  /** Every group's ids, one after another. */
  ids: string
  /** Where each id ends in `ids`. */
  idEnds: Uint32Array<ArrayBuffer>
  /** Where each group's ids end in `idEnds`. */
  groupEnds: Uint32Array<ArrayBuffer>
  /** Each group's reasons, bit i for DUPLICATE_REASONS[i]. */
  reasons: Uint8Array<ArrayBuffer>
}

export function packDuplicateGroups(groups: readonly DuplicateGroup[]): PackedDuplicateGroups {
  const groupEnds = new Uint32Array(groups.length)
  const reasons = new Uint8Array(groups.length)
  let idCount = 0
  groups.forEach((g, i) => {
    idCount += g.ids.length
    groupEnds[i] = idCount
    for (const reason of g.reasons) reasons[i]! |= 1 << DUPLICATE_REASONS.indexOf(reason)
  })
  const idEnds = new Uint32Array(idCount)
  const parts: string[] = []
  let at = 0
  let k = 0
  for (const g of groups) {
    for (const id of g.ids) {
      parts.push(id)
      at += id.length
      idEnds[k++] = at
    }
  }
  return { ids: parts.join(''), idEnds, groupEnds, reasons }
}

export function packedGroupCount(packed: PackedDuplicateGroups): number {
  return packed.groupEnds.length
}

/** The groups from `from` up to (not including) `to`, as findDuplicates gave them. */
export function unpackDuplicateGroups(packed: PackedDuplicateGroups, from: number, to: number): DuplicateGroup[] {
  const out: DuplicateGroup[] = []
  const end = Math.min(to, packed.groupEnds.length)
  for (let g = Math.max(0, from); g < end; g++) {
    const firstId = g === 0 ? 0 : packed.groupEnds[g - 1]!
    const ids: string[] = []
    for (let k = firstId; k < packed.groupEnds[g]!; k++) ids.push(packed.ids.slice(k === 0 ? 0 : packed.idEnds[k - 1]!, packed.idEnds[k]!))
    out.push({ ids, reasons: DUPLICATE_REASONS.filter((_, bit) => (packed.reasons[g]! & (1 << bit)) !== 0) })
  }
  return out
}
