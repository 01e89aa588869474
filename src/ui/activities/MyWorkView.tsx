import { For, Show, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js'
import { activityLinks, dueMs, type ActivityFields } from '../../domain/activities/activityFields'
import { asksOutcome } from '../../domain/activities/completeActivity'
import { doneTime, myWorkGroups, type MyWorkGroups } from '../../domain/activities/myWorkGroups'
import type { Reschedule } from '../../domain/activities/rescheduleActivity'
import type { Row, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { makeGridContext } from '../grid/makeGridContext'
import { undoInView } from '../leads/conversionUndo'
import type { RefusedInputs } from '../grid/refusedInputs'
import type { RecordLinks } from '../panel/recordLinks'
import type { MemberInfo } from '../session/relayApi'
import { activityIcon } from './activityIcon'
import { markDone, markNotDone, reschedule } from './activityWrites'
import type { ActivityRows } from './createActivityRows'
import { formatDue } from './formatDue'
import { OutcomeChoice } from './OutcomeChoice'
import { ReminderPermission } from './ReminderPermission'
import './myWork.css'

export interface MyWorkViewProps {
  session: WorkspaceSession
  schema: WorkspaceSchema
  members: MemberInfo[]
  refused: RefusedInputs
  activities: ActivityRows
  records: RecordLinks
}

const GROUPS: { key: keyof MyWorkGroups; title: string; empty: string }[] = [
  { key: 'overdue', title: 'Overdue', empty: '' },
  { key: 'today', title: 'Today', empty: 'Nothing else due today.' },
  { key: 'upcoming', title: 'Upcoming', empty: 'Nothing planned. Press a in a record\'s panel to add an activity.' },
  { key: 'done', title: 'Recently done', empty: '' },
]
/** How often the groups are sorted again while nothing changes (an activity of today becomes overdue). */
const CLOCK_MS = 30_000

/**
 * My work (issue 16), the first screen a member sees: their activities not done — overdue,
 * today, upcoming — and those done lately, each with what it is about (a link to its panel). Mark
 * done (a call asks how it went), reschedule, open; j/k or ↑/↓ move, x done, Enter opens, h / t / w
 * put it off an hour / to tomorrow / a week, d picks a day, Ctrl+Z takes it back. Admins look at anyone's list. Read from
 * this device's copy of the activities, so it works offline; writes are the app's own edits.
 */
export function MyWorkView(props: MyWorkViewProps) {
  const me = props.session.member
  const isAdmin = me.role === 'admin'
  const editable = me.role !== 'viewer'
  const locale = navigator.language || 'en-US'
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const [whose, setWhose] = createSignal(me.id)
  const [now, setNow] = createSignal(Date.now())
  const clock = setInterval(() => setNow(Date.now()), CLOCK_MS)
  onCleanup(() => clearInterval(clock))
  const [redraw, setRedraw] = createSignal(0)
  const handle = makeGridContext({
    session: props.session, schema: () => props.schema, entityId: 'activities', members: props.members, refused: props.refused,
    onLinkNames: () => setRedraw((n) => n + 1), askLostReason: async () => null,
  })
  onCleanup(() => handle.destroy())
  handle.watchLinkedEntities()
  createEffect(on(() => props.members, (members) => {
    handle.context.parseContext.members = members.map((m) => ({ id: m.id, name: m.name }))
    setRedraw((n) => n + 1)
  }))

  props.activities.load()
  const fields = () => props.activities.fields()
  const groups = createMemo((): MyWorkGroups | null => {
    const f = fields()
    if (!f || !props.activities.store()) return null
    return myWorkGroups(props.activities.rows(), f, whose(), now(), timeZone)
  })
  // and the moment the soonest of today's falls due, it is overdue (as its reminder rings)
  let dueTimer: ReturnType<typeof setTimeout> | undefined
  createEffect(on(groups, (g) => {
    clearTimeout(dueTimer)
    const f = fields()
    const next = g && f ? g.today.map((r) => dueMs(f, r)).find((ms) => ms !== null) : undefined
    if (next != null && next - Date.now() < CLOCK_MS) dueTimer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50)
  }))
  onCleanup(() => clearTimeout(dueTimer))
  const [asking, setAsking] = createSignal<string | null>(null)
  let list!: HTMLElement

  const items = () => [...list.querySelectorAll<HTMLElement>('[data-testid="my-work-item"]')]
  const focusItem = (id: string | null, fallbackIndex = 0) => {
    requestAnimationFrame(() => {
      const all = items()
      const target = (id && all.find((el) => el.dataset.activityId === id)) || all[Math.min(fallbackIndex, all.length - 1)]
      target?.focus()
    })
  }
  const rowOf = (id: string) => props.activities.store()?.row(id)
  const done = (row: Row, outcome?: string) => {
    const f = fields(), s = props.activities.store()
    if (!f || !s || !editable) return
    const index = items().findIndex((el) => el.dataset.activityId === row.id)
    setAsking(null)
    markDone(s, f, row, outcome)
    // the keyboard stays where the list was: on the next open activity
    focusItem(null, index)
  }
  const askOrDone = (row: Row) => {
    const f = fields()
    if (!f) return
    if (f.done && row.values[f.done.id] === true) {
      const s = props.activities.store()
      if (s && editable) { markNotDone(s, f, row); focusItem(row.id) }
      return
    }
    if (asksOutcome(f, row)) setAsking(row.id)
    else done(row)
  }
  const move = (row: Row, to: Reschedule) => {
    const f = fields(), s = props.activities.store()
    if (!f || !s || !editable) return
    reschedule(s, f, row, to, timeZone)
    focusItem(row.id)
  }
  const open = (row: Row) => {
    const f = fields()
    const link = f ? activityLinks(f, row)[0] : undefined
    if (link) props.records.open(link.entityId, link.recordId)
    else props.records.open('activities', row.id)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement
    if (target.closest('input, select, textarea')) return
    // Ctrl+Z / Ctrl+Y: the activities' own undo, as in their grid (a done, a reschedule)
    const s = props.activities.store()
    if ((e.ctrlKey || e.metaKey) && s && editable && !e.altKey) {
      const k = e.key.toLowerCase()
      const focused = target.closest<HTMLElement>('[data-testid="my-work-item"]')?.dataset.activityId ?? null
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); undoInView(props.session, s); focusItem(focused) }
      else if (k === 'y' || (k === 'z' && e.shiftKey)) { e.preventDefault(); s.history.redo(); focusItem(focused) }
      return
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return
    const item = target.closest<HTMLElement>('[data-testid="my-work-item"]')
    const all = items()
    const at = item ? all.indexOf(item) : -1
    if (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault()
      const by = e.key === 'j' || e.key === 'ArrowDown' ? 1 : -1
      all[Math.max(0, Math.min(all.length - 1, at + by))]?.focus()
      return
    }
    const row = item ? rowOf(item.dataset.activityId!) : undefined
    if (!row || target !== item) return
    const actions: Record<string, () => void> = {
      x: () => askOrDone(row),
      Enter: () => open(row),
      h: () => move(row, { kind: 'hour' }),
      t: () => move(row, { kind: 'tomorrow' }),
      w: () => move(row, { kind: 'nextWeek' }),
      d: () => item!.querySelector<HTMLInputElement>('input[type="date"]')?.focus(),
    }
    const action = actions[e.key]
    if (action) { e.preventDefault(); action() }
  }
  const relatedOf = (f: ActivityFields, row: Row) => {
    void redraw()
    return activityLinks(f, row).map((link) => ({
      ...link,
      name: handle.context.linkNames.get(link.entityId)?.get(link.recordId) ?? '…',
      kind: props.schema.entities.find((e) => e.id === link.entityId)?.singular ?? '',
    }))
  }
  const whenText = (f: ActivityFields, row: Row, group: keyof MyWorkGroups) => {
    if (group === 'done') return `done ${formatDue(doneTime(f, row), now(), timeZone, locale)}`
    const due = dueMs(f, row)
    return due === null ? 'no due date' : formatDue(due, now(), timeZone, locale)
  }
  const outcomeText = (f: ActivityFields, row: Row) => {
    const v = f.outcome ? row.values[f.outcome.id] : null
    return typeof v === 'string' && v ? v.replace(/_/g, ' ') : ''
  }
  const whoseName = () => props.members.find((m) => m.id === whose())?.name ?? 'this member'

  return (
    <section class="kanso-my-work" ref={list} aria-label="My work" data-testid="my-work" onKeyDown={onKeyDown}>
      <div class="kanso-my-work-bar">
        <Show when={isAdmin}>
          <label class="kanso-my-work-whose">Whose work
            <select value={whose()} onChange={(e) => setWhose(e.currentTarget.value)} aria-label="Whose work">
              <For each={props.members.filter((m) => !m.revokedAt)}>{(m) => <option value={m.id}>{m.id === me.id ? `${m.name} (me)` : m.name}</option>}</For>
            </select>
          </label>
        </Show>
        <span class="kanso-hint kanso-my-work-keys"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> done · <kbd>Enter</kbd> open · <kbd>h</kbd> +1 h · <kbd>t</kbd> tomorrow · <kbd>w</kbd> next week · <kbd>d</kbd> a date</span>
        <ReminderPermission />
      </div>
      <Show when={groups()} fallback={<p class="kanso-empty-state">Loading the activities from this device…</p>}>
        {(g) => (
          <For each={GROUPS}>
            {(group) => (
              <Show when={g()[group.key].length || group.empty}>
                <section class={`kanso-my-work-group kanso-my-work-${group.key}`} data-testid={`my-work-${group.key}`} aria-labelledby={`kanso-my-work-${group.key}`}>
                  <h2 id={`kanso-my-work-${group.key}`}>{group.title} <span class="kanso-related-count">{g()[group.key].length}</span></h2>
                  <Show when={g()[group.key].length} fallback={<p class="kanso-hint kanso-my-work-empty">{whose() === me.id ? group.empty : `${whoseName()}: ${group.empty.split('.')[0]}.`}</p>}>
                    <ul class="kanso-my-work-list">
                      <For each={g()[group.key]}>
                        {(row) => {
                          const f = fields()!
                          const isDoneRow = group.key === 'done'
                          return (
                            <li class="kanso-my-work-item" tabIndex={0} data-testid="my-work-item" data-activity-id={row.id}
                              classList={{ 'kanso-my-work-item-done': isDoneRow }}>
                              <span class="kanso-activity-icon" aria-hidden="true">{activityIcon(f.type ? row.values[f.type.id] : null)}</span>
                              <div class="kanso-my-work-main">
                                <a class="kanso-my-work-subject" href={props.records.href('activities', row.id)} tabIndex={-1}
                                  onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); props.records.open('activities', row.id) }}>
                                  {(f.subject && String(row.values[f.subject.id] ?? '')) || '(no subject)'}
                                </a>
                                <span class="kanso-my-work-about">
                                  <For each={relatedOf(f, row)}>
                                    {(r) => (
                                      <a href={props.records.href(r.entityId, r.recordId)} tabIndex={-1} title={r.kind} data-testid="my-work-related"
                                        onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); props.records.open(r.entityId, r.recordId) }}>{r.name}</a>
                                    )}
                                  </For>
                                </span>
                              </div>
                              <span class="kanso-my-work-when" classList={{ 'kanso-danger': group.key === 'overdue' }}>
                                {whenText(f, row, group.key)}<Show when={isDoneRow && outcomeText(f, row)}> · {outcomeText(f, row)}</Show>
                              </span>
                              <Show when={editable}>
                                <Show when={asking() === row.id} fallback={
                                  <div class="kanso-my-work-actions">
                                    <button type="button" tabIndex={-1} onClick={() => askOrDone(row)} title={isDoneRow ? 'Not done after all (x)' : 'Mark done (x)'}>{isDoneRow ? 'Undo done' : '✓ Done'}</button>
                                    <Show when={!isDoneRow}>
                                      <button type="button" tabIndex={-1} onClick={() => move(row, { kind: 'hour' })} title="An hour from now (h)">+1 h</button>
                                      <button type="button" tabIndex={-1} onClick={() => move(row, { kind: 'tomorrow' })} title="Tomorrow, same time (t)">Tomorrow</button>
                                      <button type="button" tabIndex={-1} onClick={() => move(row, { kind: 'nextWeek' })} title="A week from today (w)">Next week</button>
                                      <input type="date" tabIndex={-1} aria-label="Reschedule to a day" title="Reschedule to a day (d)"
                                        onChange={(e) => { const v = e.currentTarget.value; if (v) move(row, { kind: 'date', date: v }) }}
                                        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); (e.currentTarget.closest('li') as HTMLElement).focus() } }} />
                                    </Show>
                                  </div>
                                }>
                                  <OutcomeChoice options={f.outcome?.options ?? []} onPick={(o) => done(row, o)}
                                    onCancel={() => { setAsking(null); focusItem(row.id) }} />
                                </Show>
                              </Show>
                            </li>
                          )
                        }}
                      </For>
                    </ul>
                  </Show>
                </section>
              </Show>
            )}
          </For>
        )}
      </Show>
    </section>
  )
}
