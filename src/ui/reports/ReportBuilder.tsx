import { For, Show, createMemo, createSignal } from 'solid-js'
import type { ReportChart } from '../../domain/reports/readyReports'
import { DATE_BUCKETS, MEASURE_OPS, type DateBucket, type MeasureOp, type ReportGroup, type ReportMeasure } from '../../domain/reports/reportDefinition'
import { reportFields } from '../../domain/reports/reportFields'
import { REPORT_CHARTS, type ReportSpec } from '../../domain/reports/savedReport'
import { workspaceReportSettings } from '../../domain/reports/workspaceReportSettings'
import type { EntityDef, Row } from '../../domain/schema'
import { mayWriteView } from '../../domain/views/savedView'
import { navEntities } from '../../domain/navEntities'
import { ConditionEditor } from '../views/ConditionEditor'
import { ReportResultView } from './ReportResultView'
import type { ReportsProps } from './ReportsView'
import { errorOf, runDefinition, tryRun, viewOf, type RunContext } from './reportRunner'

const CHART_LABELS: Record<ReportChart, string> = { bar: 'Bar', stackedBar: 'Stacked bar', line: 'Line', doughnut: 'Doughnut', table: 'Table', funnel: 'Funnel' }
const OP_LABELS: Record<MeasureOp, string> = { count: 'Count', sum: 'Sum of', avg: 'Average of', min: 'Minimum of', max: 'Maximum of', rate: 'Rate of', share: 'Share of total' }
const BUCKET_LABELS: Record<DateBucket, string> = { day: 'by day', week: 'by week', month: 'by month', quarter: 'by quarter', year: 'by year' }

// a rate needs a condition of its own besides the report's filters, which this form has no place for yet
const BUILDER_OPS = MEASURE_OPS.filter((op) => op !== 'rate')

const isDate = (type: string) => type === 'date' || type === 'dateTime'

/** A measure's key and label from what it measures (keys unique within the report). */
function measureOf(op: MeasureOp, field: { id: string; key: string; label: string } | undefined, taken: readonly ReportMeasure[]): ReportMeasure {
  const base = op === 'count' || !field ? op : `${op}_${field.key}`.replace(/[^a-z0-9_]/g, '_').slice(0, 36)
  let key = base
  for (let n = 2; taken.some((m) => m.key === key); n++) key = `${base}_${n}`
  const label = op === 'share' ? `Share of ${field ? field.label : 'records'}` : op === 'count' || !field ? OP_LABELS[op] : `${OP_LABELS[op]} ${field.label}`
  return { key, label, op, ...(op !== 'count' && field ? { field: field.id } : {}) }
}

/**
 * The report builder: which list, what to measure, how to group (two levels, dates by day to
 * year), which records (the saved views' condition editor) and how to draw it. The result below
 * follows every change as it is made; save it for yourself or the team.
 */
export function ReportBuilder(props: ReportsProps & { run: RunContext; rowsById: (entityId: string) => ReadonlyMap<string, Row>; editing?: string }) {
  const member = props.session.member
  const existing = props.editing ? (props.schema.reports ?? []).find((r) => r.id === props.editing && mayWriteView(r.id, member)) : undefined
  const [spec, setSpec] = createSignal<ReportSpec>(existing?.definition ?? {
    entity: 'deals', filters: [], groups: [{ field: 'deals.stage' }], measures: [{ key: 'count', label: 'Count', op: 'count' }],
  })
  const [chart, setChart] = createSignal<ReportChart>(existing?.chart ?? 'bar')
  const [name, setName] = createSignal(existing?.name ?? '')
  const [shared, setShared] = createSignal(false)
  const [saveError, setSaveError] = createSignal<string | null>(null)

  const entities = () => navEntities(props.schema.entities)
  const entity = createMemo(() => props.schema.entities.find((e) => e.id === spec().entity))
  const fields = createMemo(() => {
    const e = entity()
    return e ? [...reportFields(e, { pipelines: props.schema.pipelines ?? [], timeZone: workspaceReportSettings(props.schema).timeZone }).values()].map((f) => f.field) : []
  })
  const numeric = () => fields().filter((f) => f.type === 'number' || f.type === 'money')
  const groupable = () => fields().filter((f) => !['longText', 'email', 'phone', 'url', 'money', 'number'].includes(f.type))
  // the condition editor over the report's fields, derived ones (Created, Stage kind, …) included
  const filterEntity = (): EntityDef | undefined => { const e = entity(); return e && { ...e, fields: fields() } }

  const edit = (patch: Partial<ReportSpec>) => setSpec({ ...spec(), ...patch })
  const setEntity = (id: string) => {
    setSpec({ entity: id, filters: [], groups: [], measures: [{ key: 'count', label: 'Count', op: 'count' }] })
  }
  const setGroup = (level: number, fieldId: string) => {
    const groups = spec().groups.slice(0, level)
    if (fieldId) {
      const f = fields().find((x) => x.id === fieldId)
      groups[level] = { field: fieldId, ...(f && isDate(f.type) ? { bucket: 'month' as const } : {}) }
      if (level === 0 && spec().groups[1]) groups[1] = spec().groups[1]!
    }
    edit({ groups })
  }
  const setBucket = (level: number, bucket: DateBucket) => edit({ groups: spec().groups.map((g, i): ReportGroup => (i === level ? { ...g, bucket } : g)) })
  const setMeasure = (i: number, op: MeasureOp, fieldId?: string) => {
    const others = spec().measures.filter((_, j) => j !== i)
    // a share is of the records counted, or of a number field's sum when one is picked
    const needsField = op !== 'count' && op !== 'share'
    const field = op === 'share' ? numeric().find((f) => f.id === fieldId) : needsField ? numeric().find((f) => f.id === fieldId) ?? numeric()[0] : undefined
    if (needsField && !field) return
    const m = measureOf(op, field, others)
    edit({ measures: spec().measures.map((x, j) => (j === i ? m : x)) })
  }
  const addMeasure = () => edit({ measures: [...spec().measures, measureOf('count', undefined, spec().measures)] })
  const removeMeasure = (i: number) => edit({ measures: spec().measures.filter((_, j) => j !== i) })

  const definition = () => ({ ...spec(), id: existing?.id ?? 'draft', name: name() || 'New report' })
  const result = createMemo(() => tryRun(() => runDefinition(definition(), chart(), props.run)))

  const save = (e: Event) => {
    e.preventDefault()
    setSaveError(null)
    try {
      if (existing) {
        props.session.schema.updateReport(existing.id, { name: name(), chart: chart(), definition: spec() })
        props.go(existing.id)
      } else {
        const scope = shared() ? { shared: true as const } : { shared: false as const, owner: member.id }
        const made = props.session.schema.createReport(scope, { name: name(), chart: chart(), definition: spec() })
        props.go(made.id)
      }
    } catch (error) {
      // a refusal of the schema document (a name too long): said beside the button
      setSaveError(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <div class="kanso-report-builder" data-testid="report-builder">
      <div class="kanso-report-head">
        <a href="/reports" class="kanso-link-button" onClick={(e) => { e.preventDefault(); props.go('') }}>← Reports</a>
        <h2>{existing ? `Edit “${existing.name}”` : 'New report'}</h2>
      </div>
      <div class="kanso-builder-layout">
        <form class="kanso-builder-form" onSubmit={save} aria-label="Report">
          <label>List
            <select aria-label="List" value={spec().entity} onChange={(e) => setEntity(e.currentTarget.value)}>
              <For each={entities()}>{(e) => <option value={e.id}>{e.label}</option>}</For>
            </select>
          </label>
          <fieldset>
            <legend>Measures</legend>
            <For each={spec().measures}>
              {(m, i) => (
                <div class="kanso-builder-row">
                  <select aria-label={`Measure ${i() + 1}`} value={m.op} onChange={(e) => setMeasure(i(), e.currentTarget.value as MeasureOp, m.field)}>
                    <For each={BUILDER_OPS.filter((op) => op === 'count' || op === 'share' || numeric().length)}>{(op) => <option value={op}>{OP_LABELS[op]}</option>}</For>
                  </select>
                  <Show when={m.op !== 'count' && m.op !== 'rate'}>
                    <select aria-label={`Field of measure ${i() + 1}`} value={m.field ?? ''} onChange={(e) => setMeasure(i(), m.op, e.currentTarget.value)}>
                      <Show when={m.op === 'share'}><option value="">records</option></Show>
                      <For each={numeric()}>{(f) => <option value={f.id}>{f.label}</option>}</For>
                    </select>
                  </Show>
                  <Show when={spec().measures.length > 1}>
                    <button type="button" class="kanso-link-button" aria-label={`Remove measure ${i() + 1}`} onClick={() => removeMeasure(i())}>✕</button>
                  </Show>
                </div>
              )}
            </For>
            <Show when={spec().measures.length < 6}><button type="button" onClick={addMeasure}>+ Measure</button></Show>
          </fieldset>
          <fieldset>
            <legend>Group by</legend>
            <For each={[0, 1]}>
              {(level) => (
                <Show when={level === 0 || spec().groups[0]}>
                  <div class="kanso-builder-row">
                    <select aria-label={level === 0 ? 'Group by' : 'Then by'} value={spec().groups[level]?.field ?? ''} onChange={(e) => setGroup(level, e.currentTarget.value)}>
                      <option value="">{level === 0 ? 'Nothing (one total)' : 'Nothing more'}</option>
                      <For each={groupable()}>{(f) => <option value={f.id}>{f.label}</option>}</For>
                    </select>
                    <Show when={spec().groups[level]?.bucket}>
                      <select aria-label={`Dates of grouping ${level + 1}`} value={spec().groups[level]!.bucket} onChange={(e) => setBucket(level, e.currentTarget.value as DateBucket)}>
                        <For each={DATE_BUCKETS}>{(b) => <option value={b}>{BUCKET_LABELS[b]}</option>}</For>
                      </select>
                    </Show>
                  </div>
                </Show>
              )}
            </For>
          </fieldset>
          <fieldset class="kanso-builder-filters">
            <legend>Which records</legend>
            <Show when={filterEntity()}>
              {(e) => <ConditionEditor entity={e()} filters={spec().filters} onChange={(filters) => edit({ filters })}
                parseContext={{ locale: navigator.language || 'en-US', members: [...props.members], timeZone: workspaceReportSettings(props.schema).timeZone }}
                memberName={(id) => props.members.find((m) => m.id === id)?.name ?? id} />}
            </Show>
          </fieldset>
          <label>Chart
            <select aria-label="Chart" value={chart()} onChange={(e) => setChart(e.currentTarget.value as ReportChart)}>
              <For each={REPORT_CHARTS}>{(c) => <option value={c}>{CHART_LABELS[c]}</option>}</For>
            </select>
          </label>
          <div class="kanso-builder-save">
            <input aria-label="Report name" placeholder="Name this report" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
            <Show when={!existing && member.role !== 'viewer'}>
              <label><input type="checkbox" checked={shared()} onChange={(e) => setShared(e.currentTarget.checked)} /> Share with the team</label>
            </Show>
            <button type="submit" class="kanso-primary" disabled={!name().trim()}>{existing ? 'Save changes' : 'Save report'}</button>
            <Show when={saveError()}><p class="kanso-filter-error" role="alert">{saveError()}</p></Show>
          </div>
        </form>
        <div class="kanso-builder-result">
          <Show when={errorOf(result())}><p class="kanso-filter-error" role="alert">{errorOf(result())}</p></Show>
          <Show when={viewOf(result())}>
            {(view) => <ReportResultView title={name() || 'Report'} view={view()} entity={entity()} rowsById={props.rowsById} records={props.records} />}
          </Show>
        </div>
      </div>
    </div>
  )
}
