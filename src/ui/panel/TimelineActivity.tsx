import { Show, createSignal } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { dueMs, isDone, ownerOf, type ActivityFields } from '../../domain/activities/activityFields'
import { asksOutcome } from '../../domain/activities/completeActivity'
import { doneTime } from '../../domain/activities/myWorkGroups'
import type { Row } from '../../domain/schema'
import { activityIcon } from '../activities/activityIcon'
import { markDone, markNotDone } from '../activities/activityWrites'
import { formatDue } from '../activities/formatDue'
import { OutcomeChoice } from '../activities/OutcomeChoice'
import '../activities/myWork.css'
import { memberNameOf } from '../session/memberDirectory'

export interface TimelineActivityProps {
  row: Row
  fields: ActivityFields
  /** Where done is written; absent for viewers. */
  store?: EntityStore
  members: readonly { id: string; name: string }[]
  locale: string
  now: number
  href: string
  onOpen: (activityId: string) => void
}

/** An activity in the record panel's timeline: type, subject, due, owner, done (a click on it opens the activity). */
export function TimelineActivity(props: TimelineActivityProps) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const [asking, setAsking] = createSignal(false)
  const f = () => props.fields
  const done = () => isDone(f(), props.row)
  const subject = () => (f().subject && String(props.row.values[f().subject!.id] ?? '')) || '(no subject)'
  const when = () => {
    if (done()) return `done ${formatDue(doneTime(f(), props.row), props.now, timeZone, props.locale)}`
    const due = dueMs(f(), props.row)
    return due === null ? 'no due date' : `due ${formatDue(due, props.now, timeZone, props.locale)}`
  }
  const overdue = () => !done() && (dueMs(f(), props.row) ?? Infinity) < props.now
  const owner = () => { const id = ownerOf(f(), props.row); return id ? memberNameOf(props.members, id) ?? '' : '' }
  const outcome = () => { const v = f().outcome ? props.row.values[f().outcome!.id] : null; return typeof v === 'string' && v ? v.replace(/_/g, ' ') : '' }
  const toggle = () => {
    const s = props.store
    if (!s) return
    if (done()) markNotDone(s, f(), props.row)
    else if (asksOutcome(f(), props.row)) setAsking(true)
    else markDone(s, f(), props.row)
  }
  return (
    <li class="kanso-timeline-activity" classList={{ 'kanso-timeline-done': done() }} data-testid="timeline-activity" data-activity-id={props.row.id} data-done={String(done())}>
      <button type="button" class="kanso-timeline-check" role="checkbox" aria-checked={done()} disabled={!props.store}
        aria-label={done() ? `Done: ${subject()} (click: not done)` : `Mark done: ${subject()}`} onClick={toggle}>{done() ? '✓' : ''}</button>
      <span class="kanso-activity-icon" aria-hidden="true" title={String(f().type ? props.row.values[f().type!.id] ?? '' : '')}>{activityIcon(f().type ? props.row.values[f().type!.id] : null)}</span>
      <a class="kanso-timeline-subject" href={props.href}
        onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); props.onOpen(props.row.id) }}>{subject()}</a>
      <span class="kanso-timeline-meta" classList={{ 'kanso-danger': overdue() }}>
        {when()}<Show when={owner()}> · {owner()}</Show><Show when={outcome()}> · {outcome()}</Show>
      </span>
      <Show when={asking() && props.store}>
        <OutcomeChoice options={f().outcome?.options ?? []} onPick={(o) => { setAsking(false); markDone(props.store!, f(), props.row, o) }} onCancel={() => setAsking(false)} />
      </Show>
    </li>
  )
}
