import { For, createSignal } from 'solid-js'
import type { PhoneScheme } from '../domain/cellLinkHref'

const SCHEMES: { scheme: PhoneScheme; label: string; hint: string }[] = [
  { scheme: 'tel', label: 'tel:', hint: 'The system’s phone app: a mobile’s dialler, FaceTime, Teams or a desktop softphone registered for tel: links' },
  { scheme: 'sip', label: 'sip:', hint: 'A SIP softphone or desk phone app (Zoiper, Linphone, MicroSIP, a PBX’s client)' },
  { scheme: 'callto', label: 'callto:', hint: 'Skype and softphones that register callto: links' },
]

/**
 * A member's own preferences, whatever their role: how phone numbers dial when clicked. Kept on
 * the relay with the member (PATCH /api/me), so it follows them to every browser they sign in on.
 */
export function PreferencesView(props: { phoneScheme: PhoneScheme; onPhoneScheme(scheme: PhoneScheme): Promise<void> }) {
  const [error, setError] = createSignal<string | null>(null)
  const choose = (scheme: PhoneScheme) => {
    setError(null)
    props.onPhoneScheme(scheme).catch((e: unknown) => setError(`Not saved: ${e instanceof Error ? e.message : String(e)}`))
  }
  return (
    <section class="kanso-settings" aria-label="My preferences">
      <form class="kanso-settings-form" onSubmit={(e) => e.preventDefault()}>
        <h2>Phone links</h2>
        <p class="kanso-hint">Every phone number in Kanso is a link. Choose what a click on it opens, on every device you use.</p>
        <fieldset class="kanso-radios">
          <legend>Phone numbers call with</legend>
          <For each={SCHEMES}>
            {(s) => (
              <label class="kanso-check">
                <input type="radio" name="phone-scheme" value={s.scheme} checked={props.phoneScheme === s.scheme} onChange={() => choose(s.scheme)} />
                <span><code>{s.label}</code> <span class="kanso-hint">{s.hint}</span></span>
              </label>
            )}
          </For>
        </fieldset>
        <p class="kanso-hint" role="status">{error() ?? ''}</p>
      </form>
    </section>
  )
}
