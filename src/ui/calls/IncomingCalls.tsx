import { For, Show, createSignal, onCleanup, onMount } from 'solid-js'
import { CALL_RINGING_EVENT, readRingingCall, type RingingCall } from '../../domain/calls/ringingCall'
import { makeMemberEventStream } from '../../sync/memberEventStream'
import './incomingCalls.css'

/** How long a ringing call stays up when nobody dismisses it: a call rings about that long. */
const SHOWN_MS = 60_000
const MAX_SHOWN = 3

interface Shown { key: number; call: RingingCall }

/**
 * The member's ringing calls (POST /api/v1/calls with "status": "ringing" naming them) as cards
 * in the corner: who is calling and from which company, "Open" to go to their record, × to dismiss.
 */
export function IncomingCalls(props: { token: string; onOpen(record: NonNullable<RingingCall['record']>): void }) {
  const [calls, setCalls] = createSignal<Shown[]>([])
  let next = 0
  const dismiss = (key: number) => setCalls((list) => list.filter((c) => c.key !== key))
  onMount(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>()
    const stop = makeMemberEventStream(props.token, (event) => {
      if (event.event !== CALL_RINGING_EVENT) return
      const call = readRingingCall(event.data)
      if (!call) return
      const key = next++
      setCalls((list) => [{ key, call }, ...list].slice(0, MAX_SHOWN))
      const timer = setTimeout(() => {
        timers.delete(timer)
        dismiss(key)
      }, SHOWN_MS)
      timers.add(timer)
    })
    onCleanup(() => {
      stop()
      for (const timer of timers) clearTimeout(timer)
    })
  })
  return (
    <div class="kanso-calls" aria-live="assertive">
      <For each={calls()}>
        {(shown) => {
          const { call } = shown
          const who = call.record ? call.record.title : call.phone_display
          const label = call.direction === 'outbound' ? 'Calling' : 'Incoming call'
          return (
            <section class="kanso-call" role="alertdialog" aria-label={`${label} from ${who}${call.record?.company ? ` (${call.record.company})` : ''}`} data-testid="incoming-call">
              <div class="kanso-call-icon" aria-hidden="true">☎</div>
              <div class="kanso-call-label">{label}{call.direction === 'outbound' ? '' : ' from'}</div>
              <button type="button" class="kanso-call-close" aria-label="Dismiss" onClick={() => dismiss(shown.key)}>×</button>
              <div class="kanso-call-name">{who}</div>
              <div class="kanso-call-detail">
                {[call.record?.company, call.record ? call.phone_display : 'Not in Kanso yet'].filter(Boolean).join(' · ')}
              </div>
              <div class="kanso-call-actions">
                <Show when={call.record}>
                  {(record) => <button type="button" class="kanso-primary" onClick={() => { dismiss(shown.key); props.onOpen(record()) }}>Open</button>}
                </Show>
                <button type="button" onClick={() => dismiss(shown.key)}>Dismiss</button>
              </div>
            </section>
          )
        }}
      </For>
    </div>
  )
}
