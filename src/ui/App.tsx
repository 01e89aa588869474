import { Match, Switch, createResource, onCleanup } from 'solid-js'
import { defaultSchema } from '../domain/defaultSchema'
import { openWorkspaceSession, type Member, type WorkspaceSession } from '../sync/workspaceSession'
import { takeAccessToken } from './session/accessToken'
import { takeBootMe } from './session/bootMe'
import { makeRelayApi } from './session/relayApi'
import { whenMemberPauses, whenRowsShown } from './rowsShownEvent'
import { Shell } from './Shell'
import { bootEntity } from '../boot/bootLocation'

const MEMBER_KEY = 'kanso.member'
/** Screens without a grid load the schema document after this long (see loadSchemaAfter). */
const SCHEMA_LOAD_WITHOUT_ROWS_MS = 1500
const PREFETCHABLE = new Set(defaultSchema().entities.map((e) => e.id))

interface Opened { session: WorkspaceSession; token: string }

/** Enough of the token to tell whether the cached member belongs to it, without storing it twice. */
function tokenFingerprint(token: string): string {
  return `${token.length}:${token.slice(-6)}`
}

/** Resolves who we are (from the relay, or the last known answer when offline) and opens the workspace. */
async function openSession(): Promise<Opened | { error: string }> {
  const token = takeAccessToken()
  if (!token) return { error: 'no-token' }
  const cached = localStorage.getItem(MEMBER_KEY)
  const known = cached ? (JSON.parse(cached) as Member & { token?: string }) : null
  let member: Member
  if (known && known.token === tokenFingerprint(token)) {
    // Open at once with who we were last time; the relay refuses the sync (4401) if the token
    // was revoked meanwhile, and the check below refreshes name and role.
    member = known
    void makeRelayApi(token).me().then(
      (me) => localStorage.setItem(MEMBER_KEY, JSON.stringify({ ...me, token: tokenFingerprint(token) })),
      (err: unknown) => console.warn('kanso: could not refresh who this member is', err),
    )
  } else {
    try {
      // a first visit: index.html asked already, while the app's code loaded
      member = await (takeBootMe(token) ?? makeRelayApi(token).me())
      localStorage.setItem(MEMBER_KEY, JSON.stringify({ ...member, token: tokenFingerprint(token) }))
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status === 401 || status === 403) return { error: 'This access link is not valid any more. Ask an admin of your Kanso workspace for a new invite link.' }
      return { error: `Could not reach the Kanso relay (${(err as Error).message}). Check your connection and reload.` }
    }
  }
  performance.mark('kanso:member')
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const session = openWorkspaceSession({
    member, token, syncUrl: `${proto}//${location.host}/sync`,
    // behind the member's first clicks and keys too, like the list's other rows: a schema edit
    // made meanwhile loads it at once (whenSchemaLoaded)
    loadSchemaAfter: whenRowsShown(SCHEMA_LOAD_WITHOUT_ROWS_MS).then(whenMemberPauses),
  })
  // Start reading the rows of the list in the address bar while the schema loads (My work: the activities).
  const first = bootEntity(location.pathname)
  if (PREFETCHABLE.has(first)) void session.entity(first)
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
