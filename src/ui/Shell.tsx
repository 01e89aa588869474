import { For, Show, lazy, createEffect, createSignal, onCleanup, onMount } from 'solid-js'
import type { WorkspaceSchema } from '../domain/schema'
import { navEntities } from '../domain/navEntities'
import type { WorkspaceSession } from '../sync/workspaceSession'
import { GridView } from './GridView'
// The board's and the pipelines' stylesheets also style what a list shows (the deals' Grid/Board
// toggle, a menu's disabled item, the reports' inline forms): they stay with the list, their views are lazy
import './board/board.css'
import { createNarrowScreen } from './createNarrowScreen'
import './phoneLayout.css'
import './settings/pipelines.css'
import { makeFirstStartCountry } from './settings/makeFirstStartCountry'
import { PresenceBar } from './PresenceBar'
import { createAutomation } from './automation/createAutomation'
import { NotificationBell } from './automation/NotificationBell'
import { SearchBox } from './search/SearchBox'
import { SyncIndicator } from './SyncIndicator'
import { makeRelayApi } from './session/relayApi'
import { createMemberDirectory, memberNameOf } from './session/memberDirectory'
import { makeRefusedInputs } from './grid/refusedInputs'
import { forgetAccessToken } from './session/accessToken'
import { IncomingCalls } from './calls/IncomingCalls'
import { PreferencesView } from './PreferencesView'
import type { PhoneScheme } from '../domain/cellLinkHref'
import type { RingingCall } from '../domain/calls/ringingCall'
import { MY_WORK, REPORTS, parseAppRoute, recordHref } from '../domain/records/recordRoute'
import type { RecordLinks } from './panel/recordLinks'
import { ActivityReminders } from './activities/ActivityReminders'
import { createActivityRows } from './activities/createActivityRows'

// The panel's stylesheet also lays out the list beside it (.kanso-workspace): it loads with the list
import './panel/recordPanel.css'

// The record panel and a deal's print view come with their first use (their own chunks): a list's
// open parses and compiles none of their code before its first rows (bench B1, B2).
const RecordPanel = lazy(() => import('./panel/RecordPanel').then((m) => ({ default: m.RecordPanel })))
const DealDocumentView = lazy(() => import('./deals/DealDocumentView').then((m) => ({ default: m.DealDocumentView })))
// Reports bring Chart.js: a chunk of their own, loaded when the member opens them
const ReportsView = lazy(() => import('./reports/ReportsView').then((m) => ({ default: m.ReportsView })))
// Neither is a list's open: the deals' board, My work, Settings and Members come with their
// first use too (the service worker precaches their chunks, so they open offline)
const BoardView = lazy(() => import('./board/BoardView').then((m) => ({ default: m.BoardView })))
const MyWorkView = lazy(() => import('./activities/MyWorkView').then((m) => ({ default: m.MyWorkView })))
const SettingsView = lazy(() => import('./settings/SettingsView').then((m) => ({ default: m.SettingsView })))
const MembersView = lazy(() => import('./MembersView').then((m) => ({ default: m.MembersView })))

/** The address under /reports (a report, a dashboard, the builder), from a path. */
const reportsPathOf = (pathname: string) => pathname.replace(/^\/+/, '').split('/').slice(1).map((p) => { try { return decodeURIComponent(p) } catch { return p } }).join('/')

/** The list a record's panel was opened over, kept in history.state under this key. */
const BEHIND_KEY = 'kansoListBehind'
interface ListBehind { view: string; board: boolean; search?: string }
function listBehind(state: unknown): ListBehind | undefined {
  const value = state && typeof state === 'object' ? (state as Record<string, unknown>)[BEHIND_KEY] : undefined
  if (!value || typeof value !== 'object') return undefined
  const { view, board } = value as Record<string, unknown>
  const { search } = value as Record<string, unknown>
  return typeof view === 'string' && view ? { view, board: board === true, search: typeof search === 'string' ? search : undefined } : undefined
}

/** Reminders start this long after the app: a list's open is over by then. */
const REMINDERS_AFTER_MS = 20_000

/** App frame: entity navigation, sync state, presence, and the current view. */
export function Shell(props: { session: WorkspaceSession; token: string }) {
  const api = makeRelayApi(props.token)
  const [schema, setSchema] = createSignal<WorkspaceSchema | null>(null)
  // The list (or board) on screen and the record open in the panel beside it (issue 15). A
  // record's address is /<entity>/<id>; the list it was opened over rides in history.state, so
  // Back and a reload keep it, and a shared link opens over the record's own list.
  const route = parseAppRoute(location.pathname)
  const behind = listBehind(history.state)
  const [view, setView] = createSignal(route.record && behind ? behind.view : route.view)
  // /deals/board: the deals as a board of their pipeline (issue 14)
  const [board, setBoard] = createSignal(route.record && behind ? behind.board : route.board)
  const [record, setRecord] = createSignal(route.record ?? null)
  // /deals/<id>/quote|invoice, /deals/<id>/documents/<issue id>: a deal's print view (issue 14)
  const [dealDocument, setDealDocument] = createSignal(route.document ?? null)
  // /reports/…: which report, dashboard or the builder the reports screen shows
  const [reportsPath, setReportsPath] = createSignal(route.view === REPORTS ? reportsPathOf(location.pathname) : '')
  const { members, refresh: refetchMembers } = createMemberDirectory(api)
  // My work and the reminders read the activities from this device. My work reads them at once;
  // over a list the reminders start well after its first rows, so its open (B1–B4) shares nothing
  // with them — they then keep every activity's row on the page, as the activities list would
  const activities = createActivityRows(props.session, schema)
  const startReminders = setTimeout(() => activities.load(), REMINDERS_AFTER_MS)
  onCleanup(() => clearTimeout(startReminders))
  const refused = makeRefusedInputs(props.session.member.id)
  // Settings and Reports edit the schema document: shown once it is loaded (at once when one of
  // them opens; a list loads it after its first rows), not over this device's copy of the schema,
  // where an edit found nothing to change
  const [schemaStored, setSchemaStored] = createSignal(false)
  createEffect(() => {
    if (!schemaStored() && (view() === 'settings' || view() === REPORTS)) void props.session.whenSchemaLoaded().then(() => setSchemaStored(true))
  })
  // the automation document's rules, logs and this member's notifications (bell, Settings → Automation)
  const automation = createAutomation(props.session.automation)
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
      const next = parseAppRoute(location.pathname)
      const under = next.record ? listBehind(history.state) : undefined
      setView(under?.view ?? next.view)
      setBoard(under?.board ?? next.board)
      setRecord(next.record ?? null)
      setDealDocument(next.document ?? null)
      if (next.view === REPORTS) setReportsPath(reportsPathOf(location.pathname))
    }
    // a teammate who joined after this page loaded shows up here first: their name, not their id
    const stopPeers = props.session.presence.subscribe((peers) => { for (const p of peers) memberNameOf(members(), p.user.id) })
    const goOnline = () => props.session.setOnline(true)
    const goOffline = () => props.session.setOnline(false)
    window.addEventListener('popstate', onPop)
    window.addEventListener('online', goOnline)
    window.addEventListener('offline', goOffline)
    onCleanup(() => {
      stop()
      stopCountry()
      stopPeers()
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
    setRecord(null)
    setDealDocument(null)
    if (first === REPORTS) setReportsPath(reportsPathOf(`/${to}`))
  }
  // a record's panel over the list on screen: from a row (Space), a card, a link, a related record
  const hrefOf = (entityId: string, recordId: string) => recordHref(schema()?.entities.find((e) => e.id === entityId)?.key ?? entityId, recordId)
  const openRecord = (entityId: string, recordId: string) => {
    const key = schema()?.entities.find((e) => e.id === entityId)?.key ?? entityId
    const current = record()
    if (current?.entityKey === key && current.recordId === recordId) return
    // the list's query (the board's ?pipeline=) comes back with it on close
    const state: ListBehind = { view: view(), board: board(), search: record() ? listBehind(history.state)?.search : location.search }
    history.pushState({ [BEHIND_KEY]: state }, '', recordHref(key, recordId))
    setRecord({ entityKey: key, recordId })
  }
  const closeRecord = () => {
    const list = view() === REPORTS && reportsPath() ? `${REPORTS}/${reportsPath()}` : board() ? `${view()}/board` : view()
    history.pushState(null, '', `/${list}${listBehind(history.state)?.search ?? ''}`)
    setRecord(null)
  }
  const records: RecordLinks = { href: hrefOf, open: openRecord }
  const panelEntity = () => { const r = record(); return r ? schema()?.entities.find((e) => e.key === r.entityKey || e.id === r.entityKey) : undefined }
  // the sync status's "1 refused entry not saved": to the list and the cell
  const showRefused = () => {
    const cell = refused.first()
    const target = cell && schema()?.entities.find((e) => e.id === cell.entityId)
    if (!cell || !target) return
    if (entity()?.id !== target.id) navigate(target.key)
    refused.requestFocus(cell)
  }
  // a ringing call's "Open": the caller's list with their row focused
  const openCaller = (caller: NonNullable<RingingCall['record']>) => {
    const target = schema()?.entities.find((e) => e.key === caller.entity)
    if (!target) return
    if (entity()?.id !== target.id) navigate(target.key)
    refused.requestFocus({ entityId: target.id, key: '', rowId: caller.id, fieldId: target.primaryField })
  }
  // a search result: its list (unless on screen), its panel, and its row focused in the grid
  const openFound = (entityId: string, recordId: string) => {
    const target = schema()?.entities.find((e) => e.id === entityId)
    if (!target) return
    if (entity()?.id !== target.id) navigate(target.key)
    openRecord(entityId, recordId)
    refused.requestFocus({ entityId, key: '', rowId: recordId, fieldId: target.primaryField })
  }
  const entity = () => schema()?.entities.find((e) => e.id === view() || e.key === view())
  const isAdmin = () => props.session.member.role === 'admin'

  return (
    <div class="kanso-shell">
      <nav class="kanso-nav" classList={{ 'kanso-nav-open': navOpen() }} aria-label="Sections">
        <div class="kanso-brand">Kanso</div>
        <button type="button" class="kanso-nav-toggle" aria-expanded={navOpen()} onClick={() => setNavOpen(!navOpen())}>☰ Menu</button>
        <a href={`/${MY_WORK}`} class="kanso-nav-item" classList={{ active: view() === MY_WORK }}
          onClick={(ev) => { ev.preventDefault(); navigate(MY_WORK) }}>My work</a>
        <a href={`/${REPORTS}`} class="kanso-nav-item" classList={{ active: view() === REPORTS }}
          onClick={(ev) => { ev.preventDefault(); navigate(REPORTS) }}>Reports</a>
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
          <h1 class="kanso-title">{view() === MY_WORK ? 'My work' : view() === REPORTS ? 'Reports' : view() === 'members' ? 'Members' : view() === 'settings' ? 'Settings' : view() === 'preferences' ? 'My preferences' : entity()?.label ?? ''}</h1>
          <Show when={entity()?.key === 'deals' && view() === entity()?.key && !dealDocument()}>
            <div class="kanso-view-toggle" role="group" aria-label="Show deals as">
              <button type="button" aria-pressed={!board()} onClick={() => navigate('deals')}>Grid</button>
              <button type="button" aria-pressed={board()} onClick={() => navigate('deals/board')}>Board</button>
            </div>
          </Show>
          <SearchBox session={props.session} schema={schema()} onOpen={openFound} />
          <PresenceBar session={props.session} schema={schema()} />
          <NotificationBell automation={automation} schema={schema()} records={{ href: hrefOf, open: openFound }} />
          <SyncIndicator session={props.session} refused={refused} onShowRefused={showRefused} />
        </header>
        <Show when={view() === 'members' && isAdmin()}>
          <MembersView api={api} selfId={props.session.member.id} onChange={() => void refetchMembers()} />
        </Show>
        <Show when={view() === 'settings' && schemaStored()}>
          <SettingsView schema={schema()} store={props.session.schema} api={api} locale={navigator.language || 'en-US'}
            deals={() => props.session.entity('deals')} memberId={props.session.member.id} admin={isAdmin()} automation={automation} members={members()} />
        </Show>
        <Show when={view() === 'preferences'}>
          <PreferencesView phoneScheme={phoneScheme()} onPhoneScheme={choosePhoneScheme} />
        </Show>
        <Show when={dealDocument() && schema() ? dealDocument() : null} keyed>
          {(route) => <DealDocumentView session={props.session} schema={schema()!} route={route} members={members()} />}
        </Show>
        <Show when={view() !== 'members' && view() !== 'settings' && view() !== 'preferences' && !dealDocument()}>
          <Show when={schema()} fallback={<div class="kanso-empty-state">Loading the workspace from this device and the relay…</div>}>
            <div class="kanso-workspace">
              <div class="kanso-list-area">
                <Show when={view() !== REPORTS} fallback={
                  <Show when={schemaStored()}>
                    <ReportsView session={props.session} schema={schema()!} members={members()} records={records} path={reportsPath()}
                      go={(path) => navigate(path ? `${REPORTS}/${path}` : REPORTS)} />
                  </Show>
                }>
                <Show when={view() === MY_WORK} fallback={<Show when={entity()?.id && `${board() && entity()!.key === 'deals' ? 'board' : narrow() ? 'cards' : 'grid'}:${entity()!.id}`} keyed fallback={<div class="kanso-empty-state">Nothing called “{view()}” here. Pick a list on the left.</div>}>
                  {(shown) => shown.startsWith('board:')
                    ? <BoardView session={props.session} schema={schema()!} entityId={shown.slice(shown.indexOf(':') + 1)} members={members()} onShowGrid={() => navigate('deals')} records={records} />
                    : <GridView session={props.session} schema={schema()!} entityId={shown.slice(shown.indexOf(':') + 1)} members={members()} refused={refused} cards={shown.startsWith('cards:')} phoneScheme={phoneScheme()} records={records} />}
                </Show>}>
                  <MyWorkView session={props.session} schema={schema()!} members={members()} refused={refused} activities={activities} records={records} />
                </Show>
                </Show>
              </div>
              <Show when={panelEntity() && record() ? `${panelEntity()!.id}\u0000${record()!.recordId}` : null} keyed>
                {(shown) => (
                  <RecordPanel session={props.session} schema={schema()!} entityId={shown.split('\u0000')[0]!} recordId={shown.split('\u0000')[1]!}
                    members={members()} refused={refused} phoneScheme={phoneScheme()} onOpenRecord={openRecord} recordHref={hrefOf} onClose={closeRecord} api={api} />
                )}
              </Show>
            </div>
          </Show>
        </Show>
      </div>
      <IncomingCalls token={props.token} onOpen={openCaller} />
      <ActivityReminders session={props.session} schema={schema()} activities={activities} records={records} />
    </div>
  )
}
