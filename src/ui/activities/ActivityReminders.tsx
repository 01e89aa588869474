import { For, Show, createEffect, createSignal, on, onCleanup } from 'solid-js'
import { activityLinks, type ActivityFields } from '../../domain/activities/activityFields'
import { asksOutcome } from '../../domain/activities/completeActivity'
import { dueReminders, nextReminderAt } from '../../domain/activities/dueReminders'
import { recordTitle } from '../../domain/recordTitle'
import type { Row, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import type { RecordLinks } from '../panel/recordLinks'
import { activityIcon } from './activityIcon'
import { markDone } from './activityWrites'
import type { ActivityRows } from './createActivityRows'
import { OutcomeChoice } from './OutcomeChoice'
import './myWork.css'

/** A snooze puts a reminder off this long. */
const SNOOZE_MS = 10 * 60_000
/** What fell due while the app was closed shows at the next open, back to this far. */
const CATCH_UP_MS = 12 * 3_600_000
/** The timer never sleeps longer than this (the clock may jump: a laptop waking up). */
const MAX_SLEEP_MS = 60_000
const MOST_SHOWN = 3

/**
 * Reminders (issue 16): when one of the member's open activities falls due, a card in the app
 * (subject, what it is about; Open, Done, Snooze 10 min) and, where the member allowed it in My
 * work, a browser notification. Read from this device's activities, so it works offline; what
 * was shown is kept per member on this device, so a reload does not ring again.
 */
export function ActivityReminders(props: { session: WorkspaceSession; schema: WorkspaceSchema | null; activities: ActivityRows; records: RecordLinks }) {
  const memberId = props.session.member.id
  const editable = props.session.member.role !== 'viewer'
  const seenKey = `kanso.reminders.${memberId}`
  const stored = Number(localStorage.getItem(seenKey))
  let since = Math.max(Number.isFinite(stored) && stored > 0 ? stored : Date.now(), Date.now() - CATCH_UP_MS)
  const snoozed = new Map<string, number>()
  const [shown, setShown] = createSignal<Row[]>([])
  const [asking, setAsking] = createSignal<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  const subjectOf = (f: ActivityFields, row: Row) => (f.subject && String(row.values[f.subject.id] ?? '')) || '(no subject)'
  // what it is about, named once the linked lists are read (only for a reminder shown)
  const [names, setNames] = createSignal(new Map<string, string>())
  const nameLinks = (f: ActivityFields, row: Row) => {
    for (const link of activityLinks(f, row)) {
      const entity = props.schema?.entities.find((e) => e.id === link.entityId)
      if (!entity) continue
      void props.session.entity(link.entityId).then(async (s) => {
        s.loadRest?.()
        await s.complete
        const r = s.row(link.recordId)
        if (r) setNames((m) => new Map(m).set(`${link.entityId}|${link.recordId}`, recordTitle(entity, r)))
      }, (error: unknown) => console.warn('Kanso: could not name what a reminder is about', error))
    }
  }
  const aboutOf = (f: ActivityFields, row: Row) => activityLinks(f, row).map((l) => names().get(`${l.entityId}|${l.recordId}`)).filter(Boolean).join(', ')
  const check = () => {
    clearTimeout(timer)
    const f = props.activities.fields()
    if (!f || !props.activities.store()) return
    const rows = props.activities.rows()
    const now = Date.now()
    const due = dueReminders(rows, f, memberId, since, now, snoozed)
    since = now
    localStorage.setItem(seenKey, String(now))
    if (due.length) {
      for (const row of due) snoozed.delete(row.id)
      setShown((list) => [...due.reverse(), ...list.filter((r) => !due.some((d) => d.id === r.id))].slice(0, MOST_SHOWN))
      for (const row of due) nameLinks(f, row)
      for (const row of due) notify(f, row)
    }
    const next = nextReminderAt(rows, f, memberId, now, snoozed)
    timer = setTimeout(check, next === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(250, next - now + 50)))
  }
  const notify = (f: ActivityFields, row: Row) => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.hasFocus()) return
    const note = new Notification(subjectOf(f, row), { body: aboutOf(f, row) || 'Due now', tag: `kanso-activity-${row.id}` })
    note.onclick = () => { window.focus(); open(row); note.close() }
  }
  // again whenever the activities change (a new one due in a minute, a reschedule)
  createEffect(on(() => props.activities.rows(), check))
  onCleanup(() => clearTimeout(timer))

  const dismiss = (id: string) => { setShown((list) => list.filter((r) => r.id !== id)); if (asking() === id) setAsking(null) }
  // a reminder whose activity was done or moved elsewhere meanwhile goes
  createEffect(on(() => props.activities.rows(), () => {
    const f = props.activities.fields()
    const s = props.activities.store()
    if (!f || !s) return
    setShown((list) => list.map((r) => s.row(r.id)).filter((r): r is Row => !!r && !(f.done && r.values[f.done.id] === true)))
  }))
  const open = (row: Row) => {
    const f = props.activities.fields()
    const link = f ? activityLinks(f, row)[0] : undefined
    if (link) props.records.open(link.entityId, link.recordId)
    else props.records.open('activities', row.id)
    dismiss(row.id)
  }
  const done = (row: Row, outcome?: string) => {
    const f = props.activities.fields(), s = props.activities.store()
    if (f && s) markDone(s, f, row, outcome)
    dismiss(row.id)
  }
  const snooze = (row: Row) => {
    snoozed.set(row.id, Date.now() + SNOOZE_MS)
    dismiss(row.id)
    check()
  }

  return (
    <div class="kanso-reminders" aria-live="polite">
      <For each={shown()}>
        {(row) => {
          const f = props.activities.fields()!
          return (
            <section class="kanso-reminder" role="alert" data-testid="reminder" data-activity-id={row.id}>
              <span class="kanso-activity-icon" aria-hidden="true">{activityIcon(f.type ? row.values[f.type.id] : null)}</span>
              <div class="kanso-reminder-text">
                <div class="kanso-hint">Due now</div>
                <div class="kanso-reminder-subject">{subjectOf(f, row)}</div>
                <Show when={aboutOf(f, row)}><div class="kanso-hint">{aboutOf(f, row)}</div></Show>
              </div>
              <button type="button" class="kanso-reminder-close" aria-label="Dismiss" onClick={() => dismiss(row.id)}>×</button>
              <Show when={asking() === row.id} fallback={
                <div class="kanso-reminder-actions">
                  <button type="button" class="kanso-primary" onClick={() => open(row)}>Open</button>
                  <Show when={editable}>
                    <button type="button" onClick={() => (asksOutcome(f, row) ? setAsking(row.id) : done(row))}>Done</button>
                  </Show>
                  <button type="button" onClick={() => snooze(row)} title="Remind me again in 10 minutes">Snooze</button>
                </div>
              }>
                <OutcomeChoice options={f.outcome?.options ?? []} onPick={(o) => done(row, o)} onCancel={() => setAsking(null)} />
              </Show>
            </section>
          )
        }}
      </For>
    </div>
  )
}
