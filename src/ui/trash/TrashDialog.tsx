import { For, Show, createResource, createSignal, onCleanup, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { countLabel } from '../../domain/countLabel'
import { recordTitle } from '../../domain/recordTitle'
import { survivorOf } from '../../domain/duplicates/mergeNotes'
import type { EntityDef, Row } from '../../domain/schema'
import { ConfirmDialog } from '../ConfirmDialog'
import { keepFocusIn } from '../keepFocusIn'
import type { MemberInfo } from '../session/relayApi'
import '../bulk/bulk.css'

export interface TrashDialogProps {
  entity: EntityDef
  store: EntityStore
  members: readonly MemberInfo[]
  /** Restore is for editors and admins; purge for admins only. */
  editable: boolean
  admin: boolean
  locale: string
  onClose: () => void
  /** After a restore or purge, for the toast (a restore is one undo step of this list). */
  onChanged: (message: string) => void
}

/** Rows shown at once; the rest follow with "Show more" (a trash may hold thousands). */
const PAGE = 200

/**
 * An entity's trash: its deleted records, newest first, with who deleted them and when, read from
 * the document (EntityStore.trash) on every device. Tick some, then Restore (one undo step) or,
 * for admins, Purge for good after a confirmation: their values leave the workspace.
 */
export function TrashDialog(props: TrashDialogProps) {
  const [rows, { refetch, mutate }] = createResource(() => props.store.trash())
  // what was restored or purged here leaves the list at once: the worker may answer a question
  // asked right after the edit before the edit reached it (a purge sends no patch to wait for)
  const drop = (ids: readonly string[]) => {
    const gone = new Set(ids)
    mutate((list) => list?.filter((r) => !gone.has(r.id)))
  }
  const [ticked, setTicked] = createSignal<ReadonlySet<string>>(new Set())
  const [shown, setShown] = createSignal(PAGE)
  const [confirmPurge, setConfirmPurge] = createSignal<string[] | null>(null)
  let dialog!: HTMLDivElement
  let close!: HTMLButtonElement
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  onMount(() => close.focus())
  onCleanup(() => { if (before?.isConnected) before.focus() })
  // a delete or restore anywhere (here, a teammate's) changes what the trash holds
  onCleanup(props.store.subscribe((patch) => { if (patch.added.length || patch.removed.length) void refetch() }))

  const memberName = (id: string | undefined) => (id ? props.members.find((m) => m.id === id)?.name ?? 'a former member' : 'unknown')
  const when = new Intl.DateTimeFormat(props.locale, { dateStyle: 'medium', timeStyle: 'short' })
  const all = () => rows() ?? []
  const selected = () => all().filter((r) => ticked().has(r.id)).map((r) => r.id)
  const toggle = (id: string, on: boolean) => {
    const next = new Set(ticked())
    if (on) next.add(id)
    else next.delete(id)
    setTicked(next)
  }
  const restore = (ids: string[]) => {
    props.store.restoreRecords(ids)
    setTicked(new Set<string>())
    props.onChanged(`Restored ${countLabel(ids.length, props.entity, props.locale)}`)
    drop(ids)
  }
  const purge = (ids: string[]) => {
    props.store.purgeRecords(ids)
    setTicked(new Set<string>())
    props.onChanged(`Purged ${countLabel(ids.length, props.entity, props.locale)} for good`)
    drop(ids)
  }
  const title = (row: Row) => recordTitle(props.entity, row) || '(no name)'
  // a record merged into another (duplicates): which one kept its links and history
  const mergedName = (id: string) => { const kept = props.store.row(id); return kept ? `“${title(kept)}”` : 'a record since deleted' }

  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div ref={dialog} class="kanso-modal kanso-trash-dialog" role="dialog" aria-modal="true" aria-labelledby="kanso-trash-title" data-testid="trash-dialog"
        onKeyDown={(e) => {
          keepFocusIn(dialog, e)
          if (e.key === 'Escape' && !confirmPurge()) { e.preventDefault(); e.stopPropagation(); props.onClose() }
        }}>
        <h2 id="kanso-trash-title">Trash: deleted {props.entity.label.toLowerCase()}</h2>
        <Show when={!rows.loading} fallback={<p class="kanso-empty">Reading the trash…</p>}>
          <Show when={all().length} fallback={<p class="kanso-empty" data-testid="trash-empty">The trash is empty. Deleted {props.entity.label.toLowerCase()} show here, newest first, until someone restores them.</p>}>
            <div class="kanso-trash-actions">
              <Show when={props.editable}>
                <button type="button" class="kanso-primary" disabled={!selected().length} onClick={() => restore(selected())}>
                  Restore{selected().length ? ` ${countLabel(selected().length, props.entity, props.locale)}` : ''}
                </button>
              </Show>
              <Show when={props.admin}>
                <button type="button" class="kanso-danger-button" disabled={!selected().length} onClick={() => setConfirmPurge(selected())}>Purge for good…</button>
              </Show>
              <span class="kanso-hint" data-testid="trash-count">{countLabel(all().length, props.entity, props.locale)} in the trash</span>
            </div>
            <div class="kanso-trash-list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <input type="checkbox" aria-label="Select all in the trash" checked={selected().length === all().length}
                        onChange={(e) => setTicked(new Set(e.currentTarget.checked ? all().map((r) => r.id) : []))} />
                    </th>
                    <th scope="col">{props.entity.singular}</th>
                    <th scope="col">Deleted by</th>
                    <th scope="col" class="kanso-trash-when">When</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={all().slice(0, shown())}>
                    {(row) => (
                      <tr data-testid="trash-row">
                        <td><input type="checkbox" aria-label={`Select ${title(row)}`} checked={ticked().has(row.id)} onChange={(e) => toggle(row.id, e.currentTarget.checked)} /></td>
                        <td class="kanso-trash-name">
                          {title(row)}
                          <Show when={survivorOf(row)}>
                            {(kept) => <span class="kanso-hint" data-testid="trash-merged-into"> — merged into {mergedName(kept())}</span>}
                          </Show>
                        </td>
                        <td data-testid="trash-deleted-by">{memberName(row.deletedBy)}</td>
                        <td class="kanso-trash-when"><time datetime={row.deletedAt}>{when.format(new Date(row.deletedAt!))}</time></td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={all().length > shown()}>
              <button type="button" class="kanso-link-button" onClick={() => setShown(shown() + PAGE)}>Show {Math.min(PAGE, all().length - shown())} more</button>
            </Show>
          </Show>
        </Show>
        <div class="kanso-modal-actions">
          <button type="button" ref={close} onClick={props.onClose}>Close</button>
        </div>
      </div>
      <Show when={confirmPurge()}>
        {(ids) => (
          <ConfirmDialog title={`Purge ${countLabel(ids().length, props.entity, props.locale)} for good?`}
            message="Their values are removed from the workspace on every device and cannot be restored or undone. Links to them show as unknown records."
            confirmLabel="Purge for good" onClose={() => setConfirmPurge(null)} onConfirm={() => purge(ids())} />
        )}
      </Show>
    </div>
  )
}
