import { For, Show, createSignal } from 'solid-js'
import type { ParseContext } from '../../domain/parseFieldInput'
import type { EntityDef } from '../../domain/schema'
import { isSharedView, type SavedView } from '../../domain/views/savedView'
import { ConditionEditor, describeCondition } from './ConditionEditor'
import { SaveViewDialog } from './SaveViewDialog'
import type { SavedViews } from './createSavedViews'
import './viewBar.css'

/**
 * The views of a list, above its toolbar: "All", "Mine" and the saved ones to switch between,
 * the active one's name with a mark when the grid shows something else than it holds, its
 * filters, and Save view… / Update view / Rename / Delete.
 */
export function ViewBar(props: { views: SavedViews; entity: EntityDef; parseContext: ParseContext; memberName: (id: string) => string }) {
  const v = props.views
  const [filtersOpen, setFiltersOpen] = createSignal(false)
  const [dialog, setDialog] = createSignal<'save' | 'rename' | null>(null)
  const [removed, setRemoved] = createSignal<SavedView | null>(null)
  // a view saved, changed or removed right after the list opened waits for the schema document (whenStored)
  const stored = (act: () => void) => void v.whenStored().then(act)
  const remove = () => stored(() => setRemoved(v.remove()))

  return (
    <div class="kanso-view-bar" data-testid="view-bar">
      <div class="kanso-view-list" role="tablist" aria-label={`Views of ${props.entity.label.toLowerCase()}`}>
        <For each={v.list()}>
          {(view) => (
            <button type="button" role="tab" class="kanso-view-tab" aria-selected={v.active().id === view.id}
              title={view.createdAt ? (isSharedView(view) ? 'Shared with the team' : 'Only you see this view') : undefined}
              onClick={() => { setRemoved(null); v.select(view.id) }}>
              {view.name}
              <Show when={view.createdAt}><span class="kanso-view-scope" aria-label={isSharedView(view) ? 'shared' : 'personal'}>{isSharedView(view) ? ' · team' : ' · me'}</span></Show>
            </button>
          )}
        </For>
      </div>
      <div class="kanso-view-actions">
        <span class="kanso-view-status" data-testid="view-status">
          <strong>{v.active().name}</strong>
          <Show when={v.dirty()}><span class="kanso-view-dirty" title="The grid shows something other than this view holds"> — unsaved changes</span></Show>
        </span>
        <div class="kanso-view-filter">
          <button type="button" aria-expanded={filtersOpen()} onClick={() => setFiltersOpen(!filtersOpen())}>
            Filter{v.filters().length ? ` (${v.filters().length})` : ''} ▾
          </button>
          <Show when={filtersOpen()}>
            <div class="kanso-popover kanso-filter-popover" role="dialog" aria-label="Filters">
              <ConditionEditor entity={props.entity} filters={v.filters()} onChange={(next) => v.setFilters(next)} parseContext={props.parseContext} memberName={props.memberName} />
            </div>
          </Show>
        </div>
        <button type="button" onClick={() => stored(() => setDialog('save'))}>Save view…</button>
        <Show when={v.canUpdate()}>
          <button type="button" onClick={() => stored(() => v.update())} disabled={!v.dirty()} title="Save what the grid shows now into this view">Update view</button>
          <button type="button" onClick={() => stored(() => setDialog('rename'))}>Rename</button>
          <button type="button" onClick={remove}>Delete view</button>
        </Show>
        <Show when={removed()}>
          {(r) => (
            <span class="kanso-view-removed" role="status">Deleted “{r().name}”. <button type="button" class="kanso-link-button" onClick={() => { const view = r(); setRemoved(null); stored(() => v.restore(view)) }}>Undo</button></span>
          )}
        </Show>
      </div>
      <Show when={dialog()}>
        {(mode) => (
          <SaveViewDialog mode={mode()} entity={props.entity} spec={v.current()} canShare={v.canShare} name={mode() === 'rename' ? v.active().name : ''}
            describe={(c) => describeCondition(props.entity, c, props.memberName)}
            onClose={() => setDialog(null)}
            onSave={(name, shared) => (mode() === 'rename' ? v.rename(name) : v.save(name, shared))} />
        )}
      </Show>
    </div>
  )
}
