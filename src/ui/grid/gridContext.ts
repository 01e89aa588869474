import type { PhoneScheme } from '../../domain/cellLinkHref'
import type { ParseContext } from '../../domain/parseFieldInput'
import type { RecordDescription } from '../../domain/describeRecord'
import type { PeerPresence } from '../../sync/presence'
import type { RecordLinks } from '../panel/recordLinks'
import type { StageChanges } from './stageChanges'

/** A value the grid refused: kept so the person sees why and can fix it without retyping. */
export interface RefusedEdit { text: string; message: string }

/** Mutable state the grid's cell components read; the adapter refreshes cells when it changes. */
export interface GridContext {
  parseContext: ParseContext
  refused: Map<string, RefusedEdit>
  presence: Map<string, PeerPresence[]>
  /** Display names of linked records: entity id → record id → name. */
  linkNames: Map<string, Map<string, string>>
  /**
   * The name of a deleted linked record, shown as "(deleted) Acme GmbH" instead of "(unknown
   * record)"; null while it is being looked up (the cell is blank for that moment).
   */
  deletedLinkName?: (entityId: string, id: string) => string | null | undefined
  /**
   * Undefined once the names of `entityId`'s records are in `linkNames`; else loads them now
   * (not waiting for the member's pause) and resolves once they are. An entry naming a linked
   * record waits for it (commitCellInputs) rather than being resolved against no names.
   */
  whenLinkNames?: (entityId: string) => Promise<void> | undefined
  /** The records a link cell picks from, with detail to tell two of one name apart. */
  linkChoices?: (entityId: string) => RecordDescription[]
  /** How phone cells dial: `tel:` unless the member chose another scheme (issue 13). */
  phoneScheme?: PhoneScheme
  /**
   * Adds what a deal's stage edit writes with it (makeStageChanges): at once, or once the lost
   * reason is given (null: not given, the edit is dropped). `ask` false (a paste): nothing is
   * asked, the reason stays to fill in.
   */
  withStageChanges?: StageChanges
  /** Where a link cell's record opens (its panel, issue 15); absent: link cells show names only. */
  records?: RecordLinks
  /**
   * Settles a cell's conflict mark (issue 15): 'use' sets the value that lost (an undo step),
   * 'keep' and 'dismiss' remove the mark only. Absent where the member may not edit.
   */
  resolveConflict?: (rowId: string, fieldId: string, choice: ConflictChoice) => void
}

export type ConflictChoice = 'keep' | 'use' | 'dismiss'

export function cellKey(rowId: string, fieldId: string): string {
  return `${rowId}\u0000${fieldId}`
}
