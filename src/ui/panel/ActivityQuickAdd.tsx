import { For, createSignal } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import type { ActivityFields } from '../../domain/activities/activityFields'
import { QUICK_ADD_TYPE, quickAddValues, tomorrowMorning } from '../../domain/activities/quickAddActivity'
import { utcToZonedTime } from '../../domain/zonedTimeToUtc'

export interface ActivityQuickAddProps {
  store: EntityStore
  fields: ActivityFields
  /** The link field naming this record, and the record. */
  linkFieldId: string
  recordId: string
  memberId: string
  members: readonly { id: string; name: string }[]
}

/** The value a datetime-local input shows for an instant, on this browser's clock. */
function localInputValue(iso: string, timeZone: string): string {
  const t = utcToZonedTime(Date.parse(iso), timeZone)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${t.year}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}`
}

/**
 * The timeline's quick-add line (issue 16): `a` in the panel lands here, the subject and Enter
 * make a task due tomorrow 9:00 for the member, related to this record; Tab reaches type, due
 * and whom it is for first. One createRecord: one undo step, synced like any new record.
 */
export function ActivityQuickAdd(props: ActivityQuickAddProps) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const [error, setError] = createSignal<string | null>(null)
  let subject!: HTMLInputElement
  let type!: HTMLSelectElement
  let due!: HTMLInputElement
  let owner!: HTMLSelectElement
  const defaultDue = () => localInputValue(tomorrowMorning(Date.now(), timeZone), timeZone)
  const submit = (e: Event) => {
    e.preventDefault()
    try {
      const dueMs = due.value ? new Date(due.value).getTime() : NaN
      props.store.createRecord(quickAddValues(props.fields, {
        subject: subject.value, type: type.value || undefined, owner: owner.value || props.memberId,
        due: Number.isNaN(dueMs) ? undefined : new Date(dueMs).toISOString(),
        linkFieldId: props.linkFieldId, recordId: props.recordId,
      }, Date.now(), timeZone))
      setError(null)
      subject.value = ''
      type.value = QUICK_ADD_TYPE
      due.value = defaultDue()
      owner.value = props.memberId
      subject.focus()
    } catch (err) {
      // quickAddValues refuses an empty subject: said under the line
      if (!(err instanceof RangeError)) throw err
      setError('Type what is to be done, then Enter.')
      subject.focus()
    }
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'SELECT') submit(e)
    if (e.key === 'Escape' && (e.target as HTMLElement).closest('form')) {
      e.preventDefault(); e.stopPropagation()
      ;(e.target as HTMLElement).blur()
    }
  }
  return (
    <form class="kanso-quick-add" onSubmit={submit} onKeyDown={onKeyDown} data-testid="quick-add">
      <input ref={subject} class="kanso-quick-add-subject" data-testid="quick-add-subject" aria-label="New activity: what is to be done"
        placeholder="Add an activity (a): subject, Enter" onInput={() => setError(null)} />
      <select ref={type} aria-label="Type">
        <For each={props.fields.type?.options ?? [QUICK_ADD_TYPE]}>{(o) => <option value={o} selected={o === QUICK_ADD_TYPE}>{o}</option>}</For>
      </select>
      <input ref={due} type="datetime-local" aria-label="Due" value={defaultDue()} />
      <select ref={owner} aria-label="For">
        <For each={props.members}>{(m) => <option value={m.id} selected={m.id === props.memberId}>{m.id === props.memberId ? `${m.name} (me)` : m.name}</option>}</For>
      </select>
      {error() && <p class="kanso-panel-error kanso-quick-add-error" role="alert">{error()}</p>}
    </form>
  )
}
