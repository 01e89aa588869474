import { createSignal, onCleanup, type Accessor } from 'solid-js'
import { lostReasonSuggestions } from '../../domain/pipelines/lostReasonSuggestions'
import { recordTitle } from '../../domain/recordTitle'
import type { EntityDef, Row } from '../../domain/schema'

/** One open "why was it lost?" question, as LostReasonDialog shows it. */
export interface LostReasonRequest {
  dealTitle: string
  stageName: string
  /** Reasons the workspace's deals already give, most used first. */
  suggestions: string[]
  /** The reason given, or null: cancelled, the deal stays where it was. */
  answer: (reason: string | null) => void
}

export interface LostReasonQuestion {
  /** makeStageChanges' askLostReason: resolves once the person answers or cancels. */
  ask: (deal: Row, stageName: string) => Promise<string | null>
  /** The question open now, for the view to show in a LostReasonDialog. */
  request: Accessor<LostReasonRequest | null>
}

/**
 * The lost reason asked in the page (a grid, the board, a record panel) instead of the browser's
 * prompt: `ask` opens the view's LostReasonDialog and resolves with its answer. A question still
 * open when the view goes away is cancelled, so the move it holds is not made behind the person.
 */
export function createLostReasonQuestion(o: { entity: () => EntityDef; rows: () => Iterable<Row> }): LostReasonQuestion {
  const [request, setRequest] = createSignal<LostReasonRequest | null>(null)
  const ask = (deal: Row, stageName: string) => new Promise<string | null>((resolve) => {
    // one question at a time: an older one still open counts as cancelled
    request()?.answer(null)
    const open: LostReasonRequest = {
      dealTitle: recordTitle(o.entity(), deal),
      stageName,
      suggestions: lostReasonSuggestions(o.entity(), o.rows()),
      answer: (reason) => {
        if (request() === open) setRequest(null)
        resolve(reason)
      },
    }
    setRequest(open)
  })
  onCleanup(() => request()?.answer(null))
  return { ask, request }
}
