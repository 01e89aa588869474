import { For, Match, Show, Switch, createEffect, createMemo, createResource, createSignal, on, onCleanup } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { historyTimeline, type ApiHistoryEntry, type TimelineGroup, type TimelineItem } from '../../domain/history/historyTimeline'
import type { HistoryVia } from '../../domain/history/historyEntry'
import { findStage, type Pipeline } from '../../domain/pipelines/pipeline'
import { stageChangesOf, stageFieldsOf } from '../../domain/pipelines/stageHistory'
import type { EntityDef, FieldValue, Row } from '../../domain/schema'
import { displayValue } from '../grid/displayValue'
import type { GridContext } from '../grid/gridContext'
import { memberNameOf } from '../session/memberDirectory'
import type { RelayApi } from '../session/relayApi'
import { activityFieldsOf } from '../../domain/activities/activityFields'
import { activityTimeline, keepDrawnEntries, type TimelineEntry } from '../../domain/activities/activityTimeline'
import type { InboundRelation } from '../../domain/records/recordRelations'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { relatedIndexOf } from './relatedIndex'
import { ActivityQuickAdd } from './ActivityQuickAdd'
import { DrawAhead } from './DrawAhead'
import { TimelineActivity } from './TimelineActivity'

export interface HistorySectionProps {
  entity: EntityDef
  row: Row
  pipelines: readonly Pipeline[]
  members: readonly { id: string; name: string }[]
  locale: string
  /** Formats values as the grid's cells do (links by name, members, money, dates). */
  context: GridContext
  /** Where Restore writes (the entity's store: one undo step, merged like any edit); absent for viewers. */
  store?: EntityStore
  /** Reads the relay's history with the member's token. */
  api: Pick<RelayApi, 'recordHistory'>
  /** The session is connected and has sent what this device wrote (a refresh then shows it). */
  synced: boolean
  /** The relay is out of reach: the history shown is the last one read. */
  offline: boolean
  /** Bumped when names or members change: values are formatted again. */
  redraw: number
  /** The activities related to this record (issue 16): in the same timeline, with the quick-add line. */
  activities?: TimelineActivities
}

export interface TimelineActivities {
  session: WorkspaceSession
  /** The activities' link fields naming this record's entity. */
  relation: InboundRelation
  /** Adds and marks done (absent for viewers). */
  editable: boolean
  href: (activityId: string) => string
  onOpen: (activityId: string) => void
  /** Once, when the activities are read (the bench's panel-shown mark waits for it). */
  onShown?: () => void
}

/** How often due times are read again ("due today 14:00" turns red once past). */
const CLOCK_MS = 60_000

/** About this many of the newest changes are drawn at first (whole groups); the rest behind "Show older". */
const FIRST_ITEMS = 40
/**
 * Of those, the entries drawn when the panel opens: more than it shows of the timeline below the
 * record's fields on a laptop (800 px). The rest are drawn as the timeline is scrolled toward them:
 * drawing all 40 made the panel's first frame restyle, lay out and paint ~480 elements, a few seen.
 */
const FIRST_DRAWN = 20
/** The next entries are drawn once the list's end comes this near the part of the panel shown (about six groups). */
const DRAW_AHEAD_PX = 240
/** The last history read per record in this tab: shown offline, and at once when the panel opens again. */
const lastRead = new Map<string, { entries: ApiHistoryEntry[]; at: number }>()

/** One formatter per locale: making one costs more than formatting a whole timeline with it. */
const formats = new Map<string, Intl.DateTimeFormat>()
function dateTimeFormat(locale: string): Intl.DateTimeFormat {
  let f = formats.get(locale)
  if (!f) formats.set(locale, (f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })))
  return f
}

const VIA_TEXT: Record<HistoryVia, string> = { app: '', api: 'via API', form: 'via form', call: 'via call', import: 'via import', relay: 'automatically' }

/**
 * The record panel's timeline (issue 15): who changed which field from what to what and when,
 * created, deleted, restored and the values that lost a race, newest first and grouped by member
 * and minute; a deal's stage changes among them. Read from the relay (GET …/history) when the
 * panel opens and again after the record changes here or elsewhere; offline, the last history
 * read, said so. Restore sets a past value again through the store, as an edit of its own.
 */
export function HistorySection(props: HistorySectionProps) {
  const recordKey = () => `${props.entity.id}\u0000${props.row.id}`
  const [read, setRead] = createSignal(lastRead.get(recordKey()) ?? null)
  const [failed, setFailed] = createSignal(false)
  const [itemBudget, setItemBudget] = createSignal(FIRST_ITEMS)
  let asked = 0
  const load = () => {
    const key = recordKey()
    const ask = ++asked
    performance.mark('kanso:history-asked')
    props.api.recordHistory(props.entity.key, props.row.id).then((entries) => {
      performance.mark('kanso:history-read')
      const got = { entries, at: Date.now() }
      lastRead.set(key, got)
      if (ask !== asked) return
      setRead(got)
      setFailed(false)
      requestAnimationFrame(() => setTimeout(() => performance.mark('kanso:history-shown'), 0))
    }, (error: unknown) => {
      if (ask !== asked) return
      setFailed(true)
      console.warn('Kanso: could not read the record\'s history', error)
    })
  }
  // after a change of the record (here or a teammate's), once it can have reached the relay
  let timer: ReturnType<typeof setTimeout> | undefined
  createEffect(on(() => [props.row, props.synced] as const, ([, synced], previous) => {
    clearTimeout(timer)
    if (!previous) { load(); return }
    if (synced) timer = setTimeout(load, 250)
  }))
  onCleanup(() => clearTimeout(timer))

  const stageFields = () => stageFieldsOf(props.entity)
  const groups = createMemo<TimelineGroup[]>(() => {
    const r = read()
    const stages = stageChangesOf(props.row)
    if (r) return historyTimeline(props.entity, r.entries, stages, stageFields()?.stage.key)
    // nothing read yet (offline, or still asking): what the record itself says of its past
    const created: ApiHistoryEntry = { at: props.row.createdAt, member: { id: props.row.createdBy, name: '' }, field: null, from: null, to: null, kind: 'created', via: 'app' }
    return historyTimeline(props.entity, props.row.createdAt ? [created] : [], stages, stageFields()?.stage.key)
  })
  const when = (iso: string) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime()) ? iso : dateTimeFormat(props.locale).format(d)
  }
  const who = (g: TimelineGroup) => memberNameOf(props.members, g.memberId) ?? (g.memberName || (g.memberId.startsWith('relay:') || g.memberId === 'api' ? 'Kanso' : 'a former member'))
  const valueText = (item: TimelineItem, value: FieldValue | null) => {
    if (value === null) return '(empty)'
    if (!item.field) return typeof value === 'object' ? JSON.stringify(value) : String(value)
    return (props.redraw, displayValue(item.field, value, props.context)) || String(value)
  }
  const stageName = (id: FieldValue | null) => (typeof id !== 'string' ? 'none' : findStage(props.pipelines, id)?.stage.name ?? id)
  const label = (item: TimelineItem) => item.field?.label ?? item.fieldKey ?? ''
  const canRestore = (item: TimelineItem) => {
    const f = item.field
    // a past value, not "empty": clearing a field is no restore
    // an entry of a record merged into this one tells its story; its values were chosen at the merge
    if (!props.store || item.kind !== 'set' || item.record || item.from === null || !f || f.deletedAt || f.choicesFrom || !props.entity.fields.includes(f)) return false
    return JSON.stringify(props.row.values[f.id] ?? null) !== JSON.stringify(item.from)
  }
  const restore = (item: TimelineItem) => {
    props.store?.updateCells([{ recordId: props.row.id, fieldId: item.field!.id, value: item.from }])
  }
  const note = () => {
    const r = read()
    if (!failed() && !props.offline) return null
    if (r) return `Offline: the history as read ${when(new Date(r.at).toISOString())}. Changes since then show once you are back online.`
    if (failed()) return 'The history could not be read from the relay (offline?). What this device knows:'
    return null
  }
  const total = () => groups().reduce((n, g) => n + g.items.length, 0)
  // the newest changes while the budget lasts: a record with thousands of edits paints at once
  const visible = createMemo(() => {
    const out: TimelineGroup[] = []
    let left = itemBudget()
    for (const g of groups()) {
      if (left <= 0) break
      out.push(g.items.length <= left ? g : { ...g, items: g.items.slice(0, left) })
      left -= g.items.length
    }
    return out
  })
  const hidden = () => total() - visible().reduce((n, g) => n + g.items.length, 0)

  // the activities related to the record, from the session's reverse link index (kept by patches)
  const [indexed] = createResource(() => props.activities, (a) => relatedIndexOf(a.session).of(a.relation.source))
  const [tick, setTick] = createSignal(0)
  createEffect(on(indexed, (i) => {
    if (!i) return
    onCleanup(i.store.subscribe(() => setTick((n) => n + 1)))
    props.activities?.onShown?.()
  }))
  const [now, setNow] = createSignal(Date.now())
  const clock = setInterval(() => setNow(Date.now()), CLOCK_MS)
  onCleanup(() => clearInterval(clock))
  const activityFields = createMemo(() => (props.activities ? activityFieldsOf(props.activities.relation.source) : undefined))
  const activityRows = createMemo(() => {
    tick()
    const i = indexed()
    const a = props.activities
    if (!i || !a) return []
    const ids = new Set<string>()
    for (const f of a.relation.fields) for (const id of i.index.sources(f.id, props.row.id)) ids.add(id)
    return [...ids].map((id) => i.store.row(id)).filter((r) => r !== undefined)
  })
  // the newest entries while the budget lasts: a record with hundreds of activities paints at once
  // (each is a row with a checkbox, its type, due and owner: 100 of them doubled a panel's open)
  const [entryBudget, setEntryBudget] = createSignal(FIRST_ITEMS)
  // the entry already drawn for a group or row that reads the same, so the list redraws only what
  // changed (a panel opened again draws the last read at once; the relay's same answer then draws nothing)
  const entries = createMemo((before: TimelineEntry[]): TimelineEntry[] => {
    const f = activityFields()
    const fresh: TimelineEntry[] = f ? activityTimeline(activityRows(), f, visible()) : visible().map((group) => ({ kind: 'history', key: `h:${group.key}`, at: 0, group }))
    return keepDrawnEntries(before, fresh)
  }, [])
  const [drawn, setDrawn] = createSignal(FIRST_DRAWN)
  const shownEntries = createMemo(() => entries().slice(0, Math.min(entryBudget(), drawn())))
  // in the budget but not drawn yet (drawn as the list is scrolled toward them), and behind "Show older"
  const undrawn = () => Math.min(entries().length, entryBudget()) - shownEntries().length
  const hiddenEntries = () => Math.max(0, entries().length - entryBudget())

  return (
    <section class="kanso-related kanso-history" aria-labelledby="kanso-history-head" data-testid="record-history">
      <header class="kanso-related-head"><h3 id="kanso-history-head">{props.activities ? 'Timeline' : 'History'}</h3>
        <Show when={read() || activityRows().length}><span class="kanso-related-count">{total() + activityRows().length}</span></Show>
      </header>
      <Show when={props.activities?.editable && indexed() && activityFields() ? indexed() : null}>
        {(i) => (
          <ActivityQuickAdd store={i().store} fields={activityFields()!} linkFieldId={props.activities!.relation.fields[0]!.id} recordId={props.row.id}
            memberId={props.activities!.session.member.id} members={props.members.filter((m) => !(m as { revokedAt?: string | null }).revokedAt)} />
        )}
      </Show>
      <Show when={note()}>{(text) => <p class="kanso-history-note" role="status">{text()}</p>}</Show>
      <ol class="kanso-history-list">
        <For each={shownEntries()}>
          {(entry) => (
            <Switch>
              <Match when={entry.kind === 'activity' && entry}>
                {(a) => (
                  <TimelineActivity row={(a() as Extract<TimelineEntry, { kind: 'activity' }>).row} fields={activityFields()!} members={props.members} locale={props.locale} now={now()}
                    store={props.activities?.editable ? indexed()?.store : undefined} href={props.activities!.href((a() as Extract<TimelineEntry, { kind: 'activity' }>).row.id)} onOpen={props.activities!.onOpen} />
                )}
              </Match>
              <Match when={entry.kind === 'history' && (entry as Extract<TimelineEntry, { kind: 'history' }>).group}>
                {(group) => { const g = group()
                  return (
            <li class="kanso-history-group" data-testid="history-group">
              <div class="kanso-history-who">
                <span class="kanso-history-member">{who(g)}</span>
                <Show when={VIA_TEXT[g.via]}><span class="kanso-history-via">{VIA_TEXT[g.via]}</span></Show>
                <time datetime={g.at}>{when(g.at)}</time>
              </div>
              <ul class="kanso-history-items">
                <For each={g.items}>
                  {(item) => (
                    <li class={`kanso-history-item kanso-history-${item.kind}`} data-testid="history-item" data-kind={item.kind} data-field={item.fieldKey ?? undefined}>
                      {item.kind === 'created' ? <span>Created this {props.entity.singular.toLowerCase()}</span>
                        : item.kind === 'deleted' ? <span>Deleted (in the trash)</span>
                        : item.kind === 'restored' ? <span>Restored from the trash</span>
                        : item.kind === 'merged' ? <span>{item.to === props.row.id ? `Merged a duplicate ${props.entity.singular.toLowerCase()} into this one` : item.record ? 'Merged a duplicate into it' : `Merged into another ${props.entity.singular.toLowerCase()}`}</span>
                        : item.kind === 'stage' ? <span>Stage <b>{stageName(item.from)}</b> → <b>{stageName(item.to)}</b></span>
                        : item.kind === 'conflict' ? (
                          <span title="Set while apart from another change of this field, which won">
                            <span class="kanso-history-field">{label(item)}</span> also set to <s class="kanso-history-value">{valueText(item, item.to)}</s>; kept <span class="kanso-history-value">{valueText(item, item.from)}</span>
                          </span>
                        ) : (
                          <span>
                            <span class="kanso-history-field">{label(item)}</span>{' '}
                            <span class="kanso-history-value kanso-history-from">{valueText(item, item.from)}</span> → <span class="kanso-history-value">{valueText(item, item.to)}</span>
                          </span>
                        )}
                      <Show when={item.record && item.kind !== 'merged'}><span class="kanso-history-via" data-testid="history-from-merged"> (on the merged duplicate)</span></Show>
                      <Show when={canRestore(item)}>
                        {' '}<button type="button" class="kanso-link-button kanso-history-restore" title={`Set ${label(item)} to ${valueText(item, item.from)} again (Ctrl+Z undoes it)`}
                          onClick={() => restore(item)}>Restore</button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </li>
                  )
                }}
              </Match>
            </Switch>
          )}
        </For>
      </ol>
      <Show when={undrawn() > 0 && drawn()} keyed>
        <DrawAhead aheadPx={DRAW_AHEAD_PX} onNear={() => setDrawn((n) => n + FIRST_ITEMS)} />
      </Show>
      <Show when={undrawn() === 0 && (hiddenEntries() > 0 || hidden() > 0)}>
        <button type="button" class="kanso-link-button kanso-related-more" onClick={() => { setEntryBudget((n) => n + 500); setItemBudget((n) => n + 500); setDrawn((n) => n + 500) }}>
          Show older entries
        </button>
      </Show>
    </section>
  )
}
