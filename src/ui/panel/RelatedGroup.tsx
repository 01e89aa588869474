import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup } from 'solid-js'
import { describeRecord } from '../../domain/describeRecord'
import type { ParseContext } from '../../domain/parseFieldInput'
import { newRelatedValues, newestFirst, type InboundRelation } from '../../domain/records/recordRelations'
import { relatedRowDetail } from '../../domain/records/relatedRowDetail'
import { recordTitle } from '../../domain/recordTitle'
import type { Row } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { relatedIndexOf } from './relatedIndex'

/** Rows a group shows before "Show all"; and at most this many when shown all (the list has the rest). */
const FIRST_ROWS = 5
const MOST_ROWS = 200

export interface RelatedGroupProps {
  session: WorkspaceSession
  relation: InboundRelation
  recordId: string
  /** The record's name, for the new record's placeholder ("New contact of Acme GmbH"). */
  recordName: string
  members: readonly { id: string; name: string }[]
  editable: boolean
  locale: string
  onOpenRecord: (entityId: string, recordId: string) => void
  recordHref: (entityId: string, recordId: string) => string
  /** How values read (locale, time zone, members): the line under each record's name. */
  parseContext: ParseContext
  /** Once, when the group's count and first rows are known. */
  onShown?: () => void
}

/**
 * The records of one entity that link to this record (a company's contacts): the count, the
 * newest few with a line of detail, "Show all", and a new one made from here with its link to
 * this record filled in. Read from the session's reverse link index: a look-up per open, kept
 * current by the store's patches (a teammate's new contact appears here as it arrives).
 */
export function RelatedGroup(props: RelatedGroupProps) {
  const source = () => props.relation.source
  const [indexed] = createResource(() => relatedIndexOf(props.session).of(source()))
  const [tick, setTick] = createSignal(0)
  const [all, setAll] = createSignal(false)
  const [adding, setAdding] = createSignal(false)
  createEffect(on(indexed, (i) => {
    if (!i) return
    onCleanup(i.store.subscribe(() => setTick((n) => n + 1)))
    props.onShown?.()
  }))
  const rows = createMemo((): Row[] => {
    tick()
    const i = indexed()
    if (!i) return []
    const ids = new Set<string>()
    for (const f of props.relation.fields) for (const id of i.index.sources(f.id, props.recordId)) ids.add(id)
    const found: Row[] = []
    for (const id of ids) {
      const row = i.store.row(id)
      if (row) found.push(row)
    }
    return newestFirst(found)
  })
  const shown = () => rows().slice(0, all() ? MOST_ROWS : FIRST_ROWS)
  const headingId = `kanso-related-${props.relation.id.replace(/[^A-Za-z0-9_-]/g, '-')}`
  let input!: HTMLInputElement
  const create = (e: Event) => {
    e.preventDefault()
    const i = indexed()
    if (!i) return
    i.store.createRecord(newRelatedValues(props.relation, props.recordId, input.value))
    input.value = ''
    input.focus()
  }
  const singular = () => source().singular.toLowerCase()

  return (
    <section class="kanso-related" aria-labelledby={headingId} data-testid={`related-${source().key}`}>
      <header class="kanso-related-head">
        <h3 id={headingId}>
          {source().label}
          <span class="kanso-related-count" data-testid="related-count">{indexed() ? rows().length.toLocaleString(props.locale) : '…'}</span>
          <Show when={props.relation.via}><span class="kanso-related-via">via {props.relation.via}</span></Show>
        </h3>
        <Show when={props.editable}>
          <button type="button" class="kanso-related-add" onClick={() => { setAdding(true); input?.focus() }} aria-expanded={adding()}>+ {source().singular}</button>
        </Show>
      </header>
      <Show when={adding()}>
        <form class="kanso-related-new" onSubmit={create}>
          <input ref={(el) => { input = el; requestAnimationFrame(() => el.focus()) }} aria-label={`Name of the new ${singular()}`}
            placeholder={`Name of the new ${singular()}, then Enter`}
            onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setAdding(false) } }} />
          <button type="submit" class="kanso-primary">Add</button>
          <button type="button" class="kanso-link-button" onClick={() => setAdding(false)}>Cancel</button>
        </form>
      </Show>
      <Show when={indexed()} fallback={<p class="kanso-related-empty">Loading {source().label.toLowerCase()}…</p>}>
        {/* none: the heading's 0 says it, one line per empty group keeps the panel short */}
        <Show when={rows().length}>
          <ul class="kanso-related-list">
            <For each={shown()}>
              {(row) => {
                const detail = () => relatedRowDetail(source(), row, props.parseContext, describeRecord(source(), row, { members: props.members }).detail)
                return (
                  <li>
                    <a href={props.recordHref(source().id, row.id)} class="kanso-related-row"
                      onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); props.onOpenRecord(source().id, row.id) }}>
                      <span class="kanso-related-title">{recordTitle(source(), row)}</span>
                      <span class="kanso-related-detail">{detail()}</span>
                    </a>
                  </li>
                )
              }}
            </For>
          </ul>
          <Show when={rows().length > FIRST_ROWS}>
            <button type="button" class="kanso-link-button kanso-related-more" onClick={() => setAll(!all())}>
              {all() ? 'Show fewer' : `Show all ${rows().length.toLocaleString(props.locale)}`}
            </button>
            <Show when={all() && rows().length > MOST_ROWS}>
              <p class="kanso-hint">The newest {MOST_ROWS} are shown; the {source().label} list has them all.</p>
            </Show>
          </Show>
        </Show>
      </Show>
    </section>
  )
}
