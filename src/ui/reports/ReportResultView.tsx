import { For, Show, createMemo, createSignal } from 'solid-js'
import type { EntityDef, Row } from '../../domain/schema'
import type { RecordLinks } from '../panel/recordLinks'
import { ReportChartCanvas, type ChartPick } from './ReportChartCanvas'
import { reportTableCsv } from './reportCsv'
import { formatValue, type ReportView } from './reportView'

export interface Picked { title: string; ids: string[] }

function download(name: string, blob: Blob): void {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

const fileName = (title: string) => title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'report'

/**
 * A report's figures: its chart or its table (a switch; the table is what the CSV holds),
 * CSV and PNG downloads, and the records behind a clicked bar, slice, step or table row, each
 * opening its panel.
 */
export function ReportResultView(props: {
  title: string; view: ReportView; entity?: EntityDef; rowsById: (entityId: string) => ReadonlyMap<string, Row>; records: RecordLinks; compact?: boolean
}) {
  const [asTable, setAsTable] = createSignal(props.view.chart.kind === 'table')
  const [picked, setPicked] = createSignal<Picked | null>(null)
  let box!: HTMLDivElement
  const showTable = () => asTable() || props.view.chart.kind === 'table'

  const pick = (p: ChartPick) => {
    const s = props.view.chart.series[p.series]
    const ids = props.view.records?.ofBar(p.series, p.index) ?? s?.recordIds[p.index] ?? []
    const label = props.view.chart.labels[p.index] ?? ''
    setPicked({ title: props.view.chart.series.length > 1 ? `${label} · ${s?.label ?? ''}` : label, ids })
  }
  const pickRow = (i: number) => {
    const row = props.view.rows[i]
    const ids = props.view.records?.ofRow(i) ?? row?.recordIds
    if (row && ids) setPicked({ title: row.cells.filter((c) => typeof c === 'string').join(' · '), ids })
  }
  const primary = createMemo(() => props.entity?.fields.find((f) => f.id === props.entity!.primaryField))
  const pickedRows = createMemo(() => {
    const p = picked()
    if (!p || !props.entity) return []
    const byId = props.rowsById(props.entity.id)
    return p.ids.slice(0, 200).map((id) => ({ id, name: String(byId.get(id)?.values[primary()?.id ?? ''] ?? '') || '(untitled)' }))
  })

  const csv = () => {
    const v = props.view
    download(`${fileName(props.title)}.csv`, new Blob([reportTableCsv(v.columns, v.rows)], { type: 'text/csv;charset=utf-8' }))
  }
  const png = () => {
    const canvas = box.querySelector('canvas')
    canvas?.toBlob((blob) => { if (blob) download(`${fileName(props.title)}.png`, blob) }, 'image/png')
  }

  return (
    <div class="kanso-report-result" classList={{ 'kanso-report-compact': props.compact }} ref={box}>
      <div class="kanso-report-tools">
        <Show when={props.view.chart.kind !== 'table'}>
          <div class="kanso-view-toggle" role="group" aria-label="Show as">
            <button type="button" aria-pressed={!asTable()} onClick={() => setAsTable(false)}>Chart</button>
            <button type="button" aria-pressed={asTable()} onClick={() => setAsTable(true)}>Table</button>
          </div>
        </Show>
        <button type="button" onClick={csv} title="Download the table as CSV">CSV</button>
        <Show when={!showTable()}><button type="button" onClick={png} title="Download the chart as an image">PNG</button></Show>
        <Show when={props.view.withoutRate.length}>
          <span class="kanso-hint" role="note">Left out, no rate: {props.view.withoutRate.join(', ')} (Settings → Workspace)</span>
        </Show>
      </div>
      <Show when={!showTable()} fallback={
        <div class="kanso-report-table-wrap">
          <table class="kanso-report-table" data-testid="report-table">
            <thead><tr><For each={props.view.columns}>{(c) => <th scope="col" classList={{ num: c.format !== 'text' }}>{c.label}</th>}</For></tr></thead>
            <tbody>
              <For each={props.view.rows}>
                {(row, i) => (
                  <tr classList={{ clickable: !!(props.view.records || row.recordIds?.length) }} onClick={() => pickRow(i())}>
                    <For each={row.cells}>{(cell, j) => <td classList={{ num: props.view.columns[j()]?.format !== 'text' }}>{formatValue(cell, props.view.columns[j()]?.format ?? 'text', props.view.currency)}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      }>
        <ReportChartCanvas model={props.view.chart} currency={props.view.currency} onPick={pick} label={props.title} />
      </Show>
      <Show when={picked()}>
        {(p) => (
          <div class="kanso-report-records" data-testid="report-records">
            <div class="kanso-report-records-head">
              <strong>{p().title}</strong>: {p().ids.length} {p().ids.length === 1 ? (props.entity?.singular ?? 'record').toLowerCase() : (props.entity?.label ?? 'records').toLowerCase()}
              <button type="button" class="kanso-link-button" aria-label="Close the list" onClick={() => setPicked(null)}>✕</button>
            </div>
            <ul>
              <For each={pickedRows()}>
                {(r) => (
                  <li><a href={props.records.href(props.entity!.id, r.id)} onClick={(e) => { e.preventDefault(); props.records.open(props.entity!.id, r.id) }}>{r.name}</a></li>
                )}
              </For>
            </ul>
            <Show when={p().ids.length > 200}><p class="kanso-hint">The first 200 are listed.</p></Show>
          </div>
        )}
      </Show>
    </div>
  )
}
