import { For, Show, createEffect, createMemo, createSignal, on, onCleanup, onMount } from 'solid-js'
import { nameFieldIds } from '../../domain/nameFieldIds'
import { formatPhone } from '../../domain/normalizePhone'
import type { WorkspaceSchema } from '../../domain/schema'
import type { SearchHit } from '../../domain/search/searchIndex'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { makeSearchStore } from './makeSearchStore'
import './search.css'

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const SHORTCUT = IS_MAC ? '⌘K' : 'Ctrl K'

/**
 * Search everywhere, in the top bar: Ctrl/Cmd+K from anywhere focuses it; results come while
 * typing, grouped by entity, best first; ↑/↓ move, Enter opens the record, Escape leaves.
 */
export function SearchBox(props: { session: WorkspaceSession; schema: WorkspaceSchema | null; onOpen: (entityId: string, recordId: string) => void }) {
  const search = makeSearchStore(props.session, props.schema)
  onCleanup(() => search.destroy())
  createEffect(on(() => props.schema, (schema) => { if (schema) search.setSchema(schema) }, { defer: true }))
  const [text, setText] = createSignal('')
  const [open, setOpen] = createSignal(false)
  const [active, setActive] = createSignal(0)
  let input!: HTMLInputElement
  let box!: HTMLDivElement

  const groups = createMemo(() => {
    search.version()
    return text().trim() ? search.query(text()) : []
  })
  const hits = createMemo(() => groups().flatMap((g) => g.hits))
  // each hit's place in the keyboard order, across the groups
  const shown = createMemo(() => {
    let i = 0
    return groups().map((group) => ({ entity: group.entity, items: group.hits.map((hit) => ({ hit, i: i++ })) }))
  })
  createEffect(on(text, () => setActive(0)))

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return
    setOpen(false)
    input.blur()
    props.onOpen(hit.entity.id, hit.row.id)
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const count = hits().length
    if (event.key === 'ArrowDown' && count) {
      event.preventDefault()
      setActive((active() + 1) % count)
    } else if (event.key === 'ArrowUp' && count) {
      event.preventDefault()
      setActive((active() - 1 + count) % count)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      choose(hits()[active()])
    } else if (event.key === 'Escape') {
      event.preventDefault()
      if (text()) setText('')
      else input.blur()
    }
  }
  onMount(() => {
    // capture: the grid's own key handling (a focused cell) must not see Ctrl+K first
    const onShortcut = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
      event.preventDefault()
      event.stopPropagation()
      input.focus()
      input.select()
    }
    const onPointer = (event: PointerEvent) => { if (!box.contains(event.target as Node)) setOpen(false) }
    window.addEventListener('keydown', onShortcut, true)
    document.addEventListener('pointerdown', onPointer)
    onCleanup(() => {
      window.removeEventListener('keydown', onShortcut, true)
      document.removeEventListener('pointerdown', onPointer)
    })
  })

  const detail = (hit: SearchHit) => {
    if (nameFieldIds(hit.entity).includes(hit.field.id)) return ''
    const value = hit.field.type === 'phone' ? formatPhone(hit.value, props.schema?.workspace?.defaultCountry) : hit.value
    return `${hit.field.label}: ${value.replace(/\s+/g, ' ')}`
  }
  const optionId = (i: number) => `kanso-search-option-${i}`

  return (
    <div class="kanso-search" ref={box}>
      <input ref={input} type="search" class="kanso-search-input" role="combobox" aria-label="Search everything"
        aria-expanded={open() && !!text().trim()} aria-controls="kanso-search-results" aria-autocomplete="list"
        aria-activedescendant={open() && hits().length ? optionId(active()) : undefined}
        placeholder={`Search… ${SHORTCUT}`} value={text()} autocomplete="off" spellcheck={false}
        onFocus={() => { search.start(); setOpen(true) }}
        onInput={(event) => { setText(event.currentTarget.value); setOpen(true) }}
        onKeyDown={onKeyDown} />
      <Show when={open() && text().trim()}>
        <div id="kanso-search-results" class="kanso-search-results" role="listbox" aria-label="Search results" data-testid="search-results">
          <Show when={search.status().phase === 'ready'} fallback={
            <div class="kanso-search-note" role="status">
              Indexing {search.status().indexed.toLocaleString()} of {search.status().total.toLocaleString()} records for search…
            </div>
          }>
            <Show when={hits().length} fallback={<div class="kanso-search-note" role="status">Nothing found for “{text().trim()}”. Search by a name, email, phone number or company.</div>}>
              <For each={shown()}>
                {(group) => (
                  <div class="kanso-search-group" role="group" aria-label={group.entity.label}>
                    <div class="kanso-search-group-label">{group.entity.label}</div>
                    <For each={group.items}>
                      {({ hit, i }) => (
                        <div id={optionId(i)} class="kanso-search-option" role="option" aria-selected={active() === i}
                          onPointerMove={() => setActive(i)} onPointerDown={(event) => { event.preventDefault(); choose(hit) }}>
                          <span class="kanso-search-name">{hit.name}</span>
                          <Show when={detail(hit)}>{(d) => <span class="kanso-search-detail">{d()}</span>}</Show>
                        </div>
                      )}
                    </For>
                  </div>
                )}
              </For>
            </Show>
          </Show>
          <div class="kanso-search-keys" aria-hidden="true">↑↓ to move · Enter to open · Esc to close</div>
        </div>
      </Show>
    </div>
  )
}
