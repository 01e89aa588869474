import { Match, Switch, createResource, onCleanup } from 'solid-js'
import { openWorkspaceSession, type Member, type WorkspaceSession } from '../sync/workspaceSession'
import { takeAccessToken } from './session/accessToken'
import { makeRelayApi } from './session/relayApi'
import { Shell } from './Shell'

const MEMBER_KEY = 'kanso.member'

interface Opened { session: WorkspaceSession; token: string }

/** Resolves who we are (from the relay, or the last known answer when offline) and opens the workspace. */
async function openSession(): Promise<Opened | { error: string }> {
  const token = takeAccessToken()
  if (!token) return { error: 'no-token' }
  let member: Member | null = null
  try {
    member = await makeRelayApi(token).me()
    localStorage.setItem(MEMBER_KEY, JSON.stringify(member))
  } catch (err) {
    const status = (err as { status?: number }).status
    if (status === 401 || status === 403) return { error: 'This access link is not valid any more. Ask an admin of your Kanso workspace for a new invite link.' }
    const cached = localStorage.getItem(MEMBER_KEY)
    if (cached) member = JSON.parse(cached) as Member
    else return { error: `Could not reach the Kanso relay (${(err as Error).message}). Check your connection and reload.` }
  }
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const session = openWorkspaceSession({ member, token, syncUrl: `${proto}//${location.host}/sync` })
  return { session, token }
}

export function App() {
  const [opened] = createResource(openSession)
  onCleanup(() => {
    const o = opened()
    if (o && 'session' in o) o.session.destroy()
  })
  return (
    <Switch fallback={<div class="kanso-splash">Opening your workspace…</div>}>
      <Match when={opened.error}>
        <div class="kanso-splash">Kanso could not start: {String(opened.error)}</div>
      </Match>
      <Match when={(() => { const o = opened(); return o && 'error' in o ? o : undefined })()}>
        {(o) => (
          <div class="kanso-splash">
            {o().error === 'no-token' ? (
              <div class="kanso-welcome">
                <h1>Kanso CRM</h1>
                <p>Open the access link the relay printed when it started (it ends in <code>#token=…</code>),
                  or ask an admin of your workspace for an invite link.</p>
                <p>Running the relay yourself? <code>npx kanso member add --name "Your name" --role admin</code> prints a new link.</p>
              </div>
            ) : o().error}
          </div>
        )}
      </Match>
      <Match when={(() => { const o = opened(); return o && 'session' in o ? o : undefined })()}>
        {(o) => <Shell session={o().session} token={o().token} />}
      </Match>
    </Switch>
  )
}
