import { For, Show, createSignal, onCleanup, onMount } from 'solid-js'
import type { WorkspaceSchema } from '../domain/schema'
import { navEntities } from '../domain/navEntities'
import type { WorkspaceSession } from '../sync/workspaceSession'
import { GridView } from './GridView'
import { BoardView } from './board/BoardView'
import { createNarrowScreen } from './createNarrowScreen'
import './phoneLayout.css'
import { MembersView } from './MembersView'
import { SettingsView } from './settings/SettingsView'
import { makeFirstStartCountry } from './settings/makeFirstStartCountry'
import { PresenceBar } from './PresenceBar'
import { SyncIndicator } from './SyncIndicator'
import { makeRelayApi } from './session/relayApi'
import { createMemberDirectory } from './session/memberDirectory'
import { makeRefusedInputs } from './grid/refusedInputs'
import { forgetAccessToken } from './session/accessToken'
import { IncomingCalls } from './calls/IncomingCalls'
import { PreferencesView } from './PreferencesView'
import type { PhoneScheme } from '../domain/cellLinkHref'
import type { RingingCall } from '../domain/calls/ringingCall'

/** App frame: entity navigation, sync state, presence, and the current view. */
export function Shell(props: { session: WorkspaceSession; token: string }) {
  const api = makeRelayApi(props.token)
  const [schema, setSchema] = createSignal<WorkspaceSchema | null>(null)
  const [view, setView] = createSignal(location.pathname.replace(/^\/+/, '').split('/')[0] || 'contacts')
  // /deals/board: the deals as a board of their pipeline (issue 14)
  const [board, setBoard] = createSignal(location.pathname.replace(/^\/+/, '').split('/')[1] === 'board')
  const { members, refresh: refetchMembers } = createMemberDirectory(api)
  const refused = makeRefusedInputs(props.session.member.id)
  // phone-sized: lists as cards, the navigation behind a menu button
  const narrow = createNarrowScreen()
  const [navOpen, setNavOpen] = createSignal(false)
  // how phone links dial: the member's choice, kept on the relay (My preferences)
  const [phoneScheme, setPhoneScheme] = createSignal<PhoneScheme>('tel')
  void api.me().then((me) => { if (me.phone_scheme) setPhoneScheme(me.phone_scheme) }, (error: unknown) => console.warn('Kanso: could not read your preferences', error))
  const choosePhoneScheme = async (scheme: PhoneScheme) => { setPhoneScheme((await api.setPhoneScheme(scheme)).phone_scheme) }

  // The schema first comes from this device's cache, then from the document: an identical copy
  // must not rebuild the grid's columns.
  let shownSchema = ''
  const showSchema = (s: WorkspaceSchema) => {
    const json = JSON.stringify(s)
    if (json === shownSchema) return
    shownSchema = json
    setSchema(s)
  }
  onMount(() => {
    void props.session.whenSchema().then((s) => { performance.mark('kanso:schema'); showSchema(s) })
    const stop = props.session.schema.subscribe(showSchema)
    const stopCountry = makeFirstStartCountry(props.session, navigator.languages?.length ? navigator.languages : [navigator.language])
    const onPop = () => {
      const [first, second] = location.pathname.replace(/^\/+/, '').split('/')
      setView(first || 'contacts')
      setBoard(second === 'board')
    }
    const goOnline = () => props.session.setOnline(true)
    const goOffline = () => props.session.setOnline(false)
    window.addEventListener('popstate', onPop)
    window.addEventListener('online', goOnline)
    window.addEventListener('offline', goOffline)
    onCleanup(() => {
      stop()
      stopCountry()
      window.removeEventListener('popstate', onPop)
      window.removeEventListener('online', goOnline)
      window.removeEventListener('offline', goOffline)
    })
  })
  const navigate = (to: string) => {
    setNavOpen(false)
    history.pushState(null, '', `/${to}`)
    const [first, second] = to.split('/')
    setView(first!)
    setBoard(second === 'board')
  }
  // the sync status's "1 refused entry not saved": to the list and the cell
  const showRefused = () => {
    const cell = refused.first()
    const target = cell && schema()?.entities.find((e) => e.id === cell.entityId)
    if (!cell || !target) return
    if (entity()?.id !== target.id) navigate(target.key)
    refused.requestFocus(cell)
  }
  // a ringing call's "Open": the caller's list with their row focused
  const openCaller = (record: NonNullable<RingingCall['record']>) => {
    const target = schema()?.entities.find((e) => e.key === record.entity)
    if (!target) return
    if (entity()?.id !== target.id) navigate(target.key)
    refused.requestFocus({ entityId: target.id, key: '', rowId: record.id, fieldId: target.primaryField })
  }
  const entity = () => schema()?.entities.find((e) => e.id === view() || e.key === view())
  const isAdmin = () => props.session.member.role === 'admin'

  return (
    <div class="kanso-shell">
      <nav class="kanso-nav" classList={{ 'kanso-nav-open': navOpen() }} aria-label="Sections">
        <div class="kanso-brand">Kanso</div>
        <button type="button" class="kanso-nav-toggle" aria-expanded={navOpen()} onClick={() => setNavOpen(!navOpen())}>☰ Menu</button>
        <For each={navEntities(schema()?.entities ?? [])}>
          {(e) => (
            <a href={`/${e.key}`} class="kanso-nav-item" classList={{ active: entity()?.id === e.id }}
              onClick={(ev) => { ev.preventDefault(); navigate(e.key) }}>{e.label}</a>
          )}
        </For>
        <Show when={isAdmin()}>
          <a href="/members" class="kanso-nav-item kanso-nav-secondary" classList={{ active: view() === 'members' }}
            onClick={(ev) => { ev.preventDefault(); navigate('members') }}>Members</a>
        </Show>
        <a href="/settings" class="kanso-nav-item kanso-nav-secondary" classList={{ active: view() === 'settings' }}
          onClick={(ev) => { ev.preventDefault(); navigate('settings') }}>Settings</a>
        <div class="kanso-nav-foot">
          <div class="kanso-me" title={`Signed in as ${props.session.member.name} (${props.session.member.role})`}>
            {props.session.member.name} · {props.session.member.role}
          </div>
          <a href="/preferences" class="kanso-link-button" onClick={(ev) => { ev.preventDefault(); navigate('preferences') }}>My preferences</a>
          <button type="button" class="kanso-link-button" onClick={() => { forgetAccessToken(); location.href = '/' }}>Sign out</button>
        </div>
      </nav>
      <div class="kanso-main">
        <header class="kanso-topbar">
          <h1 class="kanso-title">{view() === 'members' ? 'Members' : view() === 'settings' ? 'Settings' : view() === 'preferences' ? 'My preferences' : entity()?.label ?? ''}</h1>
          <Show when={entity()?.key === 'deals' && view() === entity()?.key}>
            <div class="kanso-view-toggle" role="group" aria-label="Show deals as">
              <button type="button" aria-pressed={!board()} onClick={() => navigate('deals')}>Grid</button>
              <button type="button" aria-pressed={board()} onClick={() => navigate('deals/board')}>Board</button>
            </div>
          </Show>
          <PresenceBar session={props.session} schema={schema()} />
          <SyncIndicator session={props.session} refused={refused} onShowRefused={showRefused} />
        </header>
        <Show when={view() === 'members' && isAdmin()}>
          <MembersView api={api} selfId={props.session.member.id} onChange={() => void refetchMembers()} />
        </Show>
        <Show when={view() === 'settings'}>
          <SettingsView schema={schema()} store={props.session.schema} api={api} locale={navigator.language || 'en-US'}
            deals={() => props.session.entity('deals')} memberId={props.session.member.id} admin={isAdmin()} />
        </Show>
        <Show when={view() === 'preferences'}>
          <PreferencesView phoneScheme={phoneScheme()} onPhoneScheme={choosePhoneScheme} />
        </Show>
        <Show when={view() !== 'members' && view() !== 'settings' && view() !== 'preferences'}>
          <Show when={schema()} fallback={<div class="kanso-empty-state">Loading the workspace from this device and the relay…</div>}>
            <Show when={entity()?.id && `${board() && entity()!.key === 'deals' ? 'board' : narrow() ? 'cards' : 'grid'}:${entity()!.id}`} keyed fallback={<div class="kanso-empty-state">Nothing called “{view()}” here. Pick a list on the left.</div>}>
              {(shown) => shown.startsWith('board:')
                ? <BoardView session={props.session} schema={schema()!} entityId={shown.slice(shown.indexOf(':') + 1)} members={members()} onShowGrid={() => navigate('deals')} />
                : <GridView session={props.session} schema={schema()!} entityId={shown.slice(shown.indexOf(':') + 1)} members={members()} refused={refused} cards={shown.startsWith('cards:')} phoneScheme={phoneScheme()} />}
            </Show>
          </Show>
        </Show>
      </div>
      <IncomingCalls token={props.token} onOpen={openCaller} />
    </div>
  )
}
