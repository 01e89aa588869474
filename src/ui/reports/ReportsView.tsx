import { For, Match, Show, Switch, createMemo, createSignal, onCleanup, type JSX } from 'solid-js'
import { livePipelines } from '../../domain/pipelines/pipeline'
import type { FunnelBasis, FunnelQuery } from '../../domain/reports/funnel'
import { READY_REPORTS } from '../../domain/reports/readyReports'
import { SALES_DASHBOARD, SALES_DASHBOARD_ID, type Dashboard } from '../../domain/reports/savedReport'
import type { Row, WorkspaceSchema } from '../../domain/schema'
import { canSeeView, isSharedView, mayWriteView } from '../../domain/views/savedView'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import type { RecordLinks } from '../panel/recordLinks'
import { memberNameOf } from '../session/memberDirectory'
import { ReportBuilder } from './ReportBuilder'
import { ReportResultView } from './ReportResultView'
import { makeReportRows } from './makeReportRows'
import { entityOf, errorOf, findReport, reportChartOf, reportIdOf, reportNameOf, runAnyReport, tryRun, viewOf, type AnyReport, type RunContext } from './reportRunner'
import type { ReportView } from './reportView'
import './reports.css'

export interface ReportsProps {
  session: WorkspaceSession
  schema: WorkspaceSchema
  members: readonly { id: string; name: string }[]
  records: RecordLinks
  /** The address after /reports: '' (the list), a report id, 'new', 'edit/<id>', 'dashboards/<id>'. */
  path: string
  go: (path: string) => void
}

/**
 * Reports (issue 17): the ready-made reports one click each, saved reports, dashboards and the
 * builder. Every report runs here, on the rows this device holds (makeReportRows), so it works
 * offline and follows teammates' edits as they arrive. A chunk of its own: a list's open never
 * loads Chart.js.
 */
export function ReportsView(props: ReportsProps) {
  const rows = makeReportRows(props.session)
  onCleanup(() => rows.destroy())
  const member = props.session.member
  const run: RunContext = {
    get schema() { return props.schema },
    rows,
    memberId: member.id,
    memberName: (id) => memberNameOf(props.members, id),
  }
  const rowsById = (entityId: string): ReadonlyMap<string, Row> => new Map(rows.rows(entityId).map((r) => [r.id, r]))
  const parts = () => props.path.split('/').filter(Boolean)
  const saved = () => (props.schema.reports ?? []).filter((r) => canSeeView(r, member.id))
  const dashboards = (): Dashboard[] => {
    const stored = (props.schema.dashboards ?? []).filter((d) => canSeeView(d, member.id))
    return [SALES_DASHBOARD, ...stored]
  }

  const link = (path: string, text: JSX.Element, cls = 'kanso-report-link') => (
    <a href={`/reports${path ? `/${path}` : ''}`} class={cls} onClick={(e) => { e.preventDefault(); props.go(path) }}>{text}</a>
  )

  return (
    <div class="kanso-reports" data-testid="reports">
      <Switch fallback={<div class="kanso-empty-state">No report “{props.path}” here. {link('', 'See every report')}</div>}>
        <Match when={parts().length === 0}>
          <div class="kanso-reports-home">
            <section>
              <h2>Ready-made reports</h2>
              <ul class="kanso-report-cards">
                <For each={READY_REPORTS}>{(r) => <li>{link(r.id, r.name)}</li>}</For>
              </ul>
            </section>
            <section>
              <h2>Dashboards</h2>
              <ul class="kanso-report-cards">
                <For each={dashboards()}>{(d) => <li>{link(`dashboards/${d.id}`, <>{d.name}<ScopeMark id={d.id} /></>)}</li>}</For>
              </ul>
              <NewDashboard {...props} />
            </section>
            <section>
              <h2>Saved reports</h2>
              <Show when={saved().length} fallback={<p class="kanso-hint">None yet. Build one and save it for yourself or the team.</p>}>
                <ul class="kanso-report-cards">
                  <For each={saved()}>{(r) => <li>{link(r.id, <>{r.name}<ScopeMark id={r.id} /></>)}</li>}</For>
                </ul>
              </Show>
              {link('new', '+ New report', 'kanso-primary kanso-button-link')}
            </section>
          </div>
        </Match>
        <Match when={parts()[0] === 'new' || parts()[0] === 'edit'}>
          <ReportBuilder {...props} run={run} rowsById={rowsById} editing={parts()[0] === 'edit' ? parts()[1] : undefined} />
        </Match>
        <Match when={parts()[0] === 'dashboards' && parts()[1]}>
          <Show when={dashboards().find((d) => d.id === parts()[1])} fallback={<div class="kanso-empty-state">This dashboard was removed, or is another member's. {link('', 'See every report')}</div>}>
            {(d) => <DashboardPage {...props} dashboard={d()} run={run} rowsById={rowsById} />}
          </Show>
        </Match>
        <Match when={findReport(props.schema, parts()[0] === 'funnel' ? 'sales_funnel' : parts()[0]!, member.id)}>
          {(r) => <ReportPage {...props} report={r()} run={run} rowsById={rowsById} />}
        </Match>
      </Switch>
    </div>
  )
}

function ScopeMark(props: { id: string }) {
  return <Show when={props.id !== SALES_DASHBOARD_ID}><span class="kanso-view-scope">{isSharedView({ id: props.id }) ? ' · team' : ' · me'}</span></Show>
}

type PageProps = ReportsProps & { run: RunContext; rowsById: (entityId: string) => ReadonlyMap<string, Row> }

const today = () => new Date().toISOString().slice(0, 10)
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

/** The funnel's settings: pipeline, deals created or closed in a period, owner and source. */
function FunnelFilters(props: { schema: WorkspaceSchema; members: readonly { id: string; name: string }[]; query: FunnelQuery; onChange: (q: FunnelQuery) => void }) {
  const set = (patch: Partial<FunnelQuery>) => {
    const next: FunnelQuery = { ...props.query, ...patch }
    for (const k of Object.keys(next) as (keyof FunnelQuery)[]) if (next[k] === '' || next[k] === undefined) delete next[k]
    props.onChange(next)
  }
  const sources = () => props.schema.entities.find((e) => e.key === 'deals')?.fields.find((f) => f.key === 'source' && !f.deletedAt)?.options ?? []
  return (
    <form class="kanso-funnel-filters" aria-label="Funnel settings" onSubmit={(e) => e.preventDefault()}>
      <label>Pipeline
        <select value={props.query.pipeline ?? livePipelines(props.schema.pipelines ?? [])[0]?.id ?? ''} onChange={(e) => set({ pipeline: e.currentTarget.value })}>
          <For each={livePipelines(props.schema.pipelines ?? [])}>{(p) => <option value={p.id}>{p.name}</option>}</For>
        </select>
      </label>
      <label>Deals
        <select value={props.query.basis ?? 'created'} onChange={(e) => set({ basis: e.currentTarget.value as FunnelBasis })}>
          <option value="created">created in</option>
          <option value="closed">closed in</option>
        </select>
      </label>
      <label>From <input type="date" value={props.query.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value })} /></label>
      <label>To <input type="date" value={props.query.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value })} /></label>
      <div class="kanso-funnel-presets" role="group" aria-label="Period">
        <button type="button" onClick={() => set({ from: daysAgo(29), to: today() })}>30 days</button>
        <button type="button" onClick={() => set({ from: daysAgo(89), to: today() })}>90 days</button>
        <button type="button" onClick={() => set({ from: undefined, to: undefined })}>All time</button>
      </div>
      <label>Owner
        <select value={props.query.owner ?? ''} onChange={(e) => set({ owner: e.currentTarget.value })}>
          <option value="">Anyone</option>
          <For each={props.members}>{(m) => <option value={m.id}>{m.name}</option>}</For>
        </select>
      </label>
      <label>Source
        <select value={props.query.source ?? ''} onChange={(e) => set({ source: e.currentTarget.value })}>
          <option value="">Any</option>
          <For each={sources()}>{(s) => <option value={s}>{s}</option>}</For>
        </select>
      </label>
    </form>
  )
}

/** One report on its own page: the funnel with its settings, or any other; add it to a dashboard, edit a saved one. */
function ReportPage(props: PageProps & { report: AnyReport }) {
  const [query, setQuery] = createSignal<FunnelQuery>({})
  const isFunnel = () => 'ready' in props.report && props.report.ready.kind === 'funnel'
  const result = createMemo(() => tryRun(() => runAnyReport(props.report, props.run, query())))
  const entity = () => entityOf(props.schema, 'saved' in props.report ? props.report.saved.definition.entity : 'ready' in props.report && props.report.ready.kind === 'engine' ? props.report.ready.definition.entity : 'deals')
  const member = props.session.member
  const canEdit = () => 'saved' in props.report && mayWriteView(props.report.saved.id, member)
  const boards = () => (props.schema.dashboards ?? []).filter((d) => !d.deletedAt && mayWriteView(d.id, member))
  const [added, setAdded] = createSignal('')
  const addTo = (id: string) => {
    if (!id) return
    props.session.schema.addTile(id, reportIdOf(props.report))
    setAdded(boards().find((b) => b.id === id)?.name ?? '')
  }
  return (
    <div class="kanso-report-page">
      <div class="kanso-report-head">
        <a href="/reports" class="kanso-link-button" onClick={(e) => { e.preventDefault(); props.go('') }}>← Reports</a>
        <h2>{reportNameOf(props.report)}</h2>
        <Show when={canEdit()}>
          <button type="button" onClick={() => props.go(`edit/${reportIdOf(props.report)}`)}>Edit</button>
        </Show>
        <Show when={boards().length}>
          <select aria-label="Add to a dashboard" value="" onChange={(e) => addTo(e.currentTarget.value)}>
            <option value="">Add to dashboard…</option>
            <For each={boards()}>{(b) => <option value={b.id}>{b.name}</option>}</For>
          </select>
        </Show>
        <Show when={added()}><span role="status" class="kanso-hint">Added to “{added()}”.</span></Show>
      </div>
      <Show when={isFunnel()}>
        <FunnelFilters schema={props.schema} members={props.members} query={query()} onChange={setQuery} />
      </Show>
      <Show when={errorOf(result())}><p class="kanso-filter-error" role="alert">{errorOf(result())}</p></Show>
      <Show when={viewOf(result())}>
        {(view) => (
          <>
            <Show when={isFunnel() && reportChartOf(props.report) === 'funnel'}>
              <FunnelSummary view={view()} />
            </Show>
            <ReportResultView title={reportNameOf(props.report)} view={view()} entity={entity()} rowsById={props.rowsById} records={props.records} />
          </>
        )}
      </Show>
    </div>
  )
}

/** The funnel's win rate and deals counted, above its chart. */
function FunnelSummary(props: { view: ReportView }) {
  const first = () => props.view.rows[0]?.cells[1]
  const won = () => props.view.rows.find((_, i) => i === props.view.chart.labels.length - 1)?.cells[1]
  const lost = () => props.view.rows.slice(props.view.chart.labels.length).reduce((n, r) => n + (typeof r.cells[1] === 'number' ? r.cells[1] : 0), 0)
  const winRate = () => {
    const w = typeof won() === 'number' ? (won() as number) : 0
    return w + lost() ? `${Math.round((w / (w + lost())) * 1000) / 10}%` : '–'
  }
  return (
    <p class="kanso-funnel-summary" data-testid="funnel-summary">
      <span><strong>{String(first() ?? 0)}</strong> deals</span>
      <span><strong>{String(won() ?? 0)}</strong> won</span>
      <span><strong>{lost()}</strong> lost</span>
      <span>Win rate <strong data-testid="win-rate">{winRate()}</strong></span>
    </p>
  )
}

function NewDashboard(props: ReportsProps) {
  const [name, setName] = createSignal('')
  const [shared, setShared] = createSignal(props.session.member.role !== 'viewer')
  const create = (e: Event) => {
    e.preventDefault()
    if (!name().trim()) return
    const scope = shared() ? { shared: true as const } : { shared: false as const, owner: props.session.member.id }
    const d = props.session.schema.createDashboard(scope, name(), SALES_DASHBOARD.tiles.slice(0, 2).map((t) => t.report))
    setName('')
    props.go(`dashboards/${d.id}`)
  }
  return (
    <form class="kanso-inline-form" onSubmit={create} aria-label="New dashboard">
      <input placeholder="New dashboard name" aria-label="New dashboard name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      <Show when={props.session.member.role !== 'viewer'}>
        <label><input type="checkbox" checked={shared()} onChange={(e) => setShared(e.currentTarget.checked)} /> Share with the team</label>
      </Show>
      <button type="submit" class="kanso-primary" disabled={!name().trim()}>Create dashboard</button>
    </form>
  )
}

/** A grid of reports, shared with the team or personal; every tile runs live on this device's rows. */
function DashboardPage(props: PageProps & { dashboard: Dashboard }) {
  const member = props.session.member
  const builtIn = () => props.dashboard.id === SALES_DASHBOARD_ID
  const canEdit = () => !builtIn() && mayWriteView(props.dashboard.id, member)
  const tiles = createMemo(() => props.dashboard.tiles.map((t) => ({ id: t.report, report: findReport(props.schema, t.report, member.id) })))
  const choices = () => [...READY_REPORTS.map((r) => ({ id: r.id, name: r.name })), ...(props.schema.reports ?? []).filter((r) => canSeeView(r, member.id)).map((r) => ({ id: r.id, name: r.name }))]
    .filter((c) => !props.dashboard.tiles.some((t) => t.report === c.id))
  const copy = () => {
    const scope = member.role === 'viewer' ? { shared: false as const, owner: member.id } : { shared: true as const }
    const d = props.session.schema.createDashboard(scope, `${props.dashboard.name} (copy)`, props.dashboard.tiles.map((t) => t.report))
    props.go(`dashboards/${d.id}`)
  }
  return (
    <div class="kanso-dashboard" data-testid="dashboard">
      <div class="kanso-report-head">
        <a href="/reports" class="kanso-link-button" onClick={(e) => { e.preventDefault(); props.go('') }}>← Reports</a>
        <h2>{props.dashboard.name}</h2>
        <Show when={canEdit()} fallback={<button type="button" onClick={copy}>Copy to edit</button>}>
          <select aria-label="Add a report" value="" onChange={(e) => { if (e.currentTarget.value) props.session.schema.addTile(props.dashboard.id, e.currentTarget.value) }}>
            <option value="">Add a report…</option>
            <For each={choices()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </Show>
      </div>
      <div class="kanso-dashboard-grid">
        <For each={tiles()}>
          {(tile) => (
            <section class="kanso-dashboard-tile" data-report={tile.id}>
              <header>
                <Show when={tile.report} fallback={<h3>Removed report</h3>}>
                  {(r) => <h3><a href={`/reports/${tile.id}`} onClick={(e) => { e.preventDefault(); props.go(tile.id) }}>{reportNameOf(r())}</a></h3>}
                </Show>
                <Show when={canEdit()}>
                  <button type="button" class="kanso-link-button" aria-label="Take this report off the dashboard" onClick={() => props.session.schema.removeTile(props.dashboard.id, tile.id)}>✕</button>
                </Show>
              </header>
              <Show when={tile.report}>
                {(r) => <DashboardTile {...props} report={r()} />}
              </Show>
            </section>
          )}
        </For>
      </div>
    </div>
  )
}

function DashboardTile(props: PageProps & { report: AnyReport }) {
  const result = createMemo(() => tryRun(() => runAnyReport(props.report, props.run)))
  const entity = () => entityOf(props.schema, 'saved' in props.report ? props.report.saved.definition.entity : 'ready' in props.report && props.report.ready.kind === 'engine' ? props.report.ready.definition.entity : 'deals')
  return (
    <>
      <Show when={errorOf(result())}><p class="kanso-filter-error" role="alert">{errorOf(result())}</p></Show>
      <Show when={viewOf(result())}>
        {(view) => <ReportResultView title={reportNameOf(props.report)} view={view()} entity={entity()} rowsById={props.rowsById} records={props.records} compact />}
      </Show>
    </>
  )
}
