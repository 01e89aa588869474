import { For, Show, createMemo, createSignal, onCleanup, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { cardFields } from '../../domain/cardFields'
import { cellLinkHref, cellLinkLabel } from '../../domain/cellLinkHref'
import { recordTitle } from '../../domain/recordTitle'
import { liveFields, type EntityDef, type Row } from '../../domain/schema'
import { displayValue } from '../grid/displayValue'
import { cellKey, type GridContext } from '../grid/gridContext'
import { rowView, searchTextOf } from '../grid/rowView'
import './cards.css'

/** A card's height in px, its gap included: fixed, so the list knows which cards are in view without measuring. */
export const CARD_HEIGHT = 96
/** Cards built above and below the visible ones, for a smooth flick. */
const OVERSCAN = 4

export interface CardListProps {
  entity: EntityDef
  store: EntityStore
  context: GridContext
  search: string
  /** Changes when names the cards show changed (linked records, members). */
  redraw: number
  onOpen: (rowId: string) => void
  onRowCount: (shown: number, total: number) => void
  /** Once, after the first cards are on screen. */
  onRowsShown: () => void
}

/**
 * A list on a phone: one card per record with its name and main fields (cardFields), tapped to
 * edit. Only the cards near the viewport exist in the page, so 100k records build a few dozen
 * nodes; the search is the grid's own (rowView over every row's shown text).
 */
export function CardList(props: CardListProps) {
  // the set of rows (added, removed) and their contents change apart: an edit redraws the cards, not the view
  const [viewVersion, setViewVersion] = createSignal(0)
  const [version, setVersion] = createSignal(0)
  const [scrollTop, setScrollTop] = createSignal(0)
  const [height, setHeight] = createSignal(800)
  let scroller!: HTMLDivElement
  // a row's searchable text, per row object (a changed row is a new object)
  let searchCache = new WeakMap<Row, string>()
  let cachedRedraw = -1
  const fieldMap = () => new Map(liveFields(props.entity).map((f) => [f.id, f]))
  const shownFields = () => cardFields(props.entity)

  const ids = createMemo(() => {
    // tracked: the set of rows and the names the cards show (a search matches them too)
    void viewVersion()
    if (props.redraw !== cachedRedraw) {
      searchCache = new WeakMap()
      cachedRedraw = props.redraw
    }
    const fields = fieldMap()
    const text = (r: Row) => {
      let t = searchCache.get(r)
      if (t === undefined) searchCache.set(r, (t = searchTextOf(r, fields, props.context)))
      return t
    }
    return rowView(props.store.rows(), { sort: [], search: props.search }, fields, props.context, text)
  })
  const visible = createMemo(() => {
    const all = ids()
    const first = Math.max(0, Math.floor(scrollTop() / CARD_HEIGHT) - OVERSCAN)
    const last = Math.min(all.length, Math.ceil((scrollTop() + height()) / CARD_HEIGHT) + OVERSCAN)
    return all.slice(first, last).map((id, i) => ({ id, index: first + i }))
  })
  createMemo(() => props.onRowCount(ids().length, props.store.count()))

  onMount(() => {
    const stop = props.store.subscribe((patch) => {
      if (patch.added.length || patch.removed.length) setViewVersion((v) => v + 1)
      setVersion((v) => v + 1)
    })
    // a big list's first rows come first; the rest are read once the first cards are shown
    void (props.store.complete ?? Promise.resolve()).then(() => setViewVersion((v) => v + 1))
    const measure = () => setHeight(scroller.clientHeight || window.innerHeight)
    const resize = new ResizeObserver(measure)
    resize.observe(scroller)
    measure()
    requestAnimationFrame(() => {
      props.store.loadRest?.()
      props.onRowsShown()
    })
    onCleanup(() => { stop(); resize.disconnect() })
  })

  const card = (id: string) => {
    void version()
    void props.redraw
    return props.store.row(id)
  }

  return (
    <div class="kanso-cards" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="card-list">
      <Show when={ids().length === 0 && !props.search.trim()}>
        <p class="kanso-cards-empty">No {props.entity.label.toLowerCase()} yet — press “+ New {props.entity.singular.toLowerCase()}”.</p>
      </Show>
      <ul class="kanso-cards-track" style={{ height: `${ids().length * CARD_HEIGHT}px` }} aria-label={props.entity.label}>
        <For each={visible()}>
          {(item) => (
            <Show when={card(item.id)}>
              {(row) => {
                const refusedHere = () => liveFields(props.entity).filter((f) => props.context.refused.has(cellKey(row().id, f.id))).length
                return (
                  <li class="kanso-card" style={{ transform: `translateY(${item.index * CARD_HEIGHT}px)` }} data-row-id={row().id}>
                    <button type="button" class="kanso-card-main" onClick={() => props.onOpen(row().id)}>
                      <span class="kanso-card-title">{recordTitle(props.entity, row())}</span>
                      <span class="kanso-card-fields">
                        <For each={shownFields()}>
                          {(f) => {
                            const text = () => displayValue(f, row().values[f.id], props.context)
                            return (
                              <Show when={text()}>
                                <span class="kanso-card-field" data-field={f.id}>
                                  <Show when={f.type !== 'email' && f.type !== 'phone'}><span class="kanso-card-label">{f.label}</span> </Show>
                                  {text()}
                                </span>
                              </Show>
                            )
                          }}
                        </For>
                      </span>
                      <Show when={refusedHere()}>
                        <span class="kanso-card-refused">⚠ {refusedHere() === 1 ? '1 entry' : `${refusedHere()} entries`} not saved</span>
                      </Show>
                    </button>
                    <span class="kanso-card-actions">
                      <For each={shownFields().filter((f) => f.type === 'email' || f.type === 'phone')}>
                        {(f) => {
                          const value = () => row().values[f.id]
                          const link = () => (typeof value() === 'string' ? cellLinkHref(f, value() as string, props.context.phoneScheme) : null)
                          return (
                            <Show when={link()}>
                              {(l) => (
                                <a class="kanso-card-link" href={l().href} aria-label={cellLinkLabel(l(), displayValue(f, value(), props.context))}>
                                  {l().kind === 'email' ? '✉' : '☎'}
                                </a>
                              )}
                            </Show>
                          )
                        }}
                      </For>
                    </span>
                  </li>
                )
              }}
            </Show>
          )}
        </For>
      </ul>
    </div>
  )
}
