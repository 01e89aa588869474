import { For, Show, createMemo, createResource, createSignal, onCleanup, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { countInboundLinks, entitiesLinkingTo } from '../../domain/countInboundLinks'
import { countLabel } from '../../domain/countLabel'
import type { DuplicateGroup, DuplicateReason } from '../../domain/duplicates/findDuplicates'
import { chosenValues, initialChoices, reviewFields, valuesDiffer, type MergeChoices } from '../../domain/duplicates/mergeChoices'
import { distinctKey } from '../../domain/duplicates/mergeNotes'
import { MergeError, planMerge } from '../../domain/duplicates/planMerge'
import { recordTitle } from '../../domain/recordTitle'
import type { EntityDef, FieldValue, Row, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { displayValue } from '../grid/displayValue'
import type { GridContext } from '../grid/gridContext'
import { keepFocusIn } from '../keepFocusIn'
import { conversionUndoOf, undoInView } from '../leads/conversionUndo'
import { writeMerge } from './writeMerge'
import './duplicates.css'

export interface DuplicatesDialogProps {
  session: WorkspaceSession
  schema: WorkspaceSchema
  entity: EntityDef
  store: EntityStore
  /** Formats values as the grid's cells do (links by name, members, money, dates). */
  context: GridContext
  locale: string
  onClose: () => void
}

const REASON_TEXT: Record<DuplicateReason, string> = { email: 'same email', phone: 'same phone', name: 'same name', similarName: 'similar name' }
/** Groups listed at once; the rest follow with "Show more". */
const PAGE = 100

/**
 * Duplicates of a list (issue 18): the groups findDuplicates finds, each with why; a group's
 * side-by-side review — a column per record, a row per field, a click on a cell takes that value,
 * fields whose values differ marked — then Merge (one undo step across every list it touched:
 * Undo here, or Ctrl+Z here or in any of those lists) or Not duplicates (remembered in the
 * records, so the group does not come back on any device).
 */
export function DuplicatesDialog(props: DuplicatesDialogProps) {
  const entity = props.entity
  const noun = entity.singular.toLowerCase()
  const [version, setVersion] = createSignal(0)
  // every row first (a big list's page copy fills in after it is shown), and the lists whose links a merge moves
  const [loaded] = createResource(async () => {
    const load = async (store: EntityStore) => {
      store.loadRest?.()
      await store.complete
      return store
    }
    const linking = entitiesLinkingTo(props.schema, entity.id).filter((e) => e.id !== entity.id)
    const stores = new Map<string, EntityStore>([[entity.id, await load(props.store)]])
    for (const e of linking) stores.set(e.id, await load(await props.session.entity(e.id)))
    return stores
  })
  onCleanup(props.store.subscribe(() => setVersion(version() + 1)))
  // found in the workspace worker, where the rows are: over 100k contacts it takes most of a second
  const [found] = createResource(() => (loaded() ? version() + 1 : false), () => props.session.duplicates(entity))
  const groups = (): DuplicateGroup[] => found.latest ?? []
  const [shown, setShown] = createSignal(PAGE)
  const [review, setReview] = createSignal<string[] | null>(null)
  const [survivor, setSurvivor] = createSignal('')
  const [choices, setChoices] = createSignal<MergeChoices>({})
  const [status, setStatus] = createSignal<string | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const editable = props.session.member.role !== 'viewer'
  const title = (row: Row | undefined) => (row ? recordTitle(entity, row) : '(gone)')
  const rowsOf = (ids: readonly string[]) => ids.map((id) => props.store.row(id)).filter((r): r is Row => r !== undefined)
  const reviewRows = createMemo(() => {
    version()
    const ids = review()
    return ids ? rowsOf(ids) : []
  })
  const fields = reviewFields(entity)

  const open = (group: DuplicateGroup) => {
    const rows = rowsOf(group.ids)
    setReview(group.ids)
    setSurvivor(group.ids[0]!)
    setChoices(initialChoices(entity, rows, group.ids[0]!))
    setError(null)
  }
  const chooseSurvivor = (id: string) => {
    setSurvivor(id)
    setChoices(initialChoices(entity, reviewRows(), id))
  }
  const others = () => reviewRows().map((r) => r.id).filter((id) => id !== survivor())
  const moves = createMemo(() => {
    const stores = loaded()
    if (!stores || !review()) return null
    return countInboundLinks(props.schema, entity.id, new Set(others()), (id) => stores.get(id)?.rows() ?? [])
  })

  const merge = () => {
    const stores = loaded()
    const rows = reviewRows()
    if (!stores || rows.length < 2) return
    const keep = survivor()
    try {
      const plan = planMerge({
        schema: props.schema, entity, survivor: keep, others: others(),
        values: chosenValues(entity, rows, keep, choices()),
        rowsOf: (id) => stores.get(id)?.rows() ?? [],
        by: props.session.member.id, at: new Date().toISOString(),
      })
      const steps = writeMerge(plan, entity.id, (id) => stores.get(id)!)
      conversionUndoOf(props.session).record(steps)
      const moved = Object.values(plan.moved).reduce((n, c) => n + c, 0)
      setStatus(`Merged ${countLabel(plan.trash.length + 1, entity, props.locale)} into “${title(props.store.row(keep))}”${moved ? `; ${moved.toLocaleString(props.locale)} related ${moved === 1 ? 'record' : 'records'} moved` : ''}.`)
      setReview(null)
    } catch (err) {
      if (!(err instanceof MergeError)) throw err
      setError(err.message)
    }
  }
  const notDuplicates = () => {
    const ids = reviewRows().map((r) => r.id)
    const note = { at: new Date().toISOString(), by: props.session.member.id } as unknown as FieldValue
    // every pair, so no two of them are offered together again, whatever tied them
    const cells = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ recordId: a, fieldId: distinctKey(b), value: note })))
    props.store.updateCells(cells)
    setStatus(`Marked ${countLabel(ids.length, entity, props.locale)} as not duplicates.`)
    setReview(null)
  }
  const undo = () => {
    undoInView(props.session, props.store)
    setStatus(null)
  }

  let dialog!: HTMLDivElement
  let close!: HTMLButtonElement
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  onMount(() => close.focus())
  onCleanup(() => { if (before?.isConnected) before.focus() })
  const onKeyDown = (e: KeyboardEvent) => {
    keepFocusIn(dialog, e)
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      if (review()) setReview(null)
      else props.onClose()
    } else if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && editable) {
      e.preventDefault()
      undo()
    }
  }

  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div ref={dialog} class="kanso-modal kanso-duplicates" role="dialog" aria-modal="true" aria-labelledby="kanso-duplicates-title" data-testid="duplicates-dialog" onKeyDown={onKeyDown}>
        <div class="kanso-duplicates-head">
          <h2 id="kanso-duplicates-title">{review() ? `Merge ${countLabel(reviewRows().length, entity, props.locale)}` : `Duplicate ${entity.label.toLowerCase()}`}</h2>
          <Show when={!review() && found.latest}>
            <span class="kanso-hint" data-testid="duplicates-count">{groups().length ? `${groups().length.toLocaleString(props.locale)} ${groups().length === 1 ? 'group' : 'groups'} to review` : ''}</span>
          </Show>
          <Show when={review()}>
            <span class="kanso-hint">Click a value to keep it. Fields whose values differ are marked.</span>
          </Show>
        </div>
        <Show when={status()}>
          {(text) => (
            <div class="kanso-dup-status" role="status" data-testid="duplicates-status">
              <span>{text()}</span>
              <Show when={editable}><button type="button" class="kanso-link-button" onClick={undo}>Undo</button></Show>
            </div>
          )}
        </Show>
        <div class="kanso-duplicates-body">
          <Show when={loaded() && found.latest} fallback={<p class="kanso-empty" style={{ padding: '12px' }}>Reading every {noun} and what links to them…</p>}>
            <Show when={review()} fallback={
              <Show when={groups().length} fallback={<p class="kanso-empty" style={{ padding: '12px' }} data-testid="duplicates-empty">No likely duplicates among the {entity.label.toLowerCase()}: none share an email or a phone number, and no two names are alike.</p>}>
                <ul class="kanso-dup-groups">
                  <For each={groups().slice(0, shown())}>
                    {(group) => (
                      <li class="kanso-dup-group" data-testid="duplicate-group">
                        <span class="kanso-dup-names">{group.ids.map((id) => title(props.store.row(id))).join(' · ')}</span>
                        <span class="kanso-dup-reasons">
                          <For each={group.reasons}>{(r) => <span class="kanso-dup-reason">{REASON_TEXT[r]}</span>}</For>
                        </span>
                        <button type="button" onClick={() => open(group)}>Review {group.ids.length}</button>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={groups().length > shown()}>
                  <button type="button" class="kanso-link-button" style={{ margin: '8px 12px' }} onClick={() => setShown(shown() + PAGE)}>Show {Math.min(PAGE, groups().length - shown())} more</button>
                </Show>
              </Show>
            }>
              <table class="kanso-dup-table" data-testid="duplicates-review">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <For each={reviewRows()}>
                      {(row) => (
                        <th scope="col" classList={{ 'kanso-dup-survivor': row.id === survivor() }} data-record={row.id}>
                          <div class="kanso-dup-record">
                            <span class="kanso-dup-title">{title(row)}</span>
                            <span class="kanso-hint">created {new Date(row.createdAt).toLocaleDateString(props.locale)}</span>
                            <label><input type="radio" name="kanso-dup-survivor" checked={row.id === survivor()} onChange={() => chooseSurvivor(row.id)} />Keep this {noun}</label>
                          </div>
                        </th>
                      )}
                    </For>
                  </tr>
                </thead>
                <tbody>
                  <For each={fields}>
                    {(field) => (
                      <tr classList={{ 'kanso-dup-differs': valuesDiffer(field, reviewRows()) }} data-field={field.id}>
                        <th scope="row">{field.label}</th>
                        <For each={reviewRows()}>
                          {(row) => {
                            const text = () => displayValue(field, row.values[field.id] ?? null, props.context)
                            return (
                              <td classList={{ 'kanso-dup-survivor': row.id === survivor() }}>
                                <button type="button" class="kanso-dup-cell" data-record={row.id} aria-pressed={choices()[field.id] === row.id}
                                  aria-label={`${field.label} of ${title(row)}: ${text() || 'empty'}`}
                                  onClick={() => setChoices({ ...choices(), [field.id]: row.id })}>
                                  {text() || <span class="kanso-dup-empty">—</span>}
                                </button>
                              </td>
                            )
                          }}
                        </For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          </Show>
        </div>
        <Show when={review() && moves()}>
          {(links) => (
            <p class="kanso-dup-moves" data-testid="duplicates-moves">
              {links().length
                ? `Moves to the ${noun} kept: ${new Intl.ListFormat('en', { type: 'conjunction' }).format(links().map((l) => countLabel(l.count, l.entity, props.locale)))}. The others go to the trash.`
                : `Nothing links to the others; they go to the trash.`}
            </p>
          )}
        </Show>
        <Show when={error()}>{(text) => <p class="kanso-form-error" role="alert">{text()}</p>}</Show>
        <div class="kanso-modal-actions">
          <Show when={review()}>
            <button type="button" onClick={() => setReview(null)}>← All groups</button>
            <span class="kanso-dup-spacer" />
            <Show when={editable}>
              <button type="button" onClick={notDuplicates} title="These are different records: they are not offered together again">Not duplicates</button>
              <button type="button" class="kanso-primary" disabled={reviewRows().length < 2} onClick={merge}>Merge into “{title(props.store.row(survivor()))}”</button>
            </Show>
          </Show>
          <button type="button" ref={close} onClick={props.onClose}>Close</button>
        </div>
      </div>
    </div>
  )
}
