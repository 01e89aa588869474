import { createEffect, onCleanup, onMount } from 'solid-js'
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration, type Plugin,
} from 'chart.js'
import { FunnelController, TrapezoidElement } from 'chartjs-chart-funnel'
import { formatValue, type ChartModel } from './reportView'

// only the parts the reports draw (the rest of Chart.js stays out of the chunk)
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip, FunnelController, TrapezoidElement)

/*
 * Colours that survive greyscale printing: lightness alternates dark / light from one series to
 * the next, and every series after the first also carries a pattern (stripes, dots, cross
 * hatching), so two neighbours never print as the same grey. Values are written on the bars
 * and funnel steps, so the chart reads without telling colours apart at all.
 */
const PALETTE = ['#1d3f73', '#f0a84a', '#5b8fd1', '#7a4b1e', '#a9d3a2', '#3c3c3c', '#e3c6f0', '#2f7a52']
type PatternKind = 'none' | 'stripes' | 'dots' | 'cross' | 'backslash'
const PATTERNS: PatternKind[] = ['none', 'stripes', 'dots', 'cross', 'backslash']

function patternFill(color: string, kind: PatternKind): string | CanvasPattern {
  if (kind === 'none') return color
  const tile = document.createElement('canvas')
  tile.width = tile.height = 8
  const g = tile.getContext('2d')
  if (!g) return color
  g.fillStyle = color
  g.fillRect(0, 0, 8, 8)
  // the marks are white on dark colours, black on light ones: visible in colour and in grey
  const dark = parseInt(color.slice(1, 3), 16) * 0.3 + parseInt(color.slice(3, 5), 16) * 0.59 + parseInt(color.slice(5, 7), 16) * 0.11 < 140
  g.strokeStyle = g.fillStyle = dark ? 'rgba(255,255,255,0.8)' : 'rgba(0,0,0,0.55)'
  g.lineWidth = 1.5
  if (kind === 'dots') { g.beginPath(); g.arc(4, 4, 1.6, 0, Math.PI * 2); g.fill() }
  if (kind === 'stripes' || kind === 'cross') { g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke() }
  if (kind === 'backslash' || kind === 'cross') { g.beginPath(); g.moveTo(0, 0); g.lineTo(8, 8); g.stroke() }
  return g.createPattern(tile, 'repeat') ?? color
}

const fillOf = (i: number) => patternFill(PALETTE[i % PALETTE.length]!, PATTERNS[i % PATTERNS.length]!)

/** Writes each bar's or step's value on it (and the funnel's conversions beside each step). */
function directLabels(model: () => ChartModel, currency: () => string | undefined): Plugin {
  return {
    id: 'kansoDirectLabels',
    afterDatasetsDraw(chart) {
      const m = model()
      if (m.kind === 'doughnut' || m.kind === 'line') return
      const g = chart.ctx
      g.save()
      g.font = '600 12px system-ui, sans-serif'
      g.textBaseline = 'middle'
      chart.data.datasets.forEach((_, d) => {
        const meta = chart.getDatasetMeta(d)
        if (meta.hidden) return
        const series = m.series[d]
        if (!series) return
        meta.data.forEach((el, i) => {
          const v = series.data[i]
          // an empty bar needs no "0" written over the axis
          if (v === null || v === undefined || (v === 0 && m.kind !== 'funnel')) return
          const text = formatValue(v, series.format, currency())
          const { x, y } = el.getProps(['x', 'y'], true) as { x: number; y: number }
          if (m.kind === 'funnel') {
            g.textAlign = 'left'
            g.fillStyle = '#1b1b1b'
            const right = chart.chartArea.right
            const note = m.notes?.[i]
            // the stage's name with its count, the conversions after: readable without the colours
            g.fillText(`${m.labels[i] ?? ''}: ${text}`, Math.min(x + 6, right - 4), note ? y - 7 : y)
            if (note) {
              g.font = '12px system-ui, sans-serif'
              g.fillStyle = '#3d4652'
              g.fillText(note, Math.min(x + 6, right - 4), y + 8)
              g.font = '600 12px system-ui, sans-serif'
            }
            return
          }
          g.fillStyle = m.kind === 'stackedBar' ? '#ffffff' : '#1b1b1b'
          g.textAlign = 'center'
          if (m.kind === 'stackedBar') {
            const base = (el as unknown as { base: number }).base
            if (Math.abs(base - y) < 14) return
            g.strokeStyle = 'rgba(0,0,0,0.7)'
            g.lineWidth = 3
            g.strokeText(text, x, (y + base) / 2)
            g.fillText(text, x, (y + base) / 2)
          } else {
            // kept inside the chart: the last bar's label is not cut at the edge
            const half = g.measureText(text).width / 2
            g.fillText(text, Math.max(chart.chartArea.left + half, Math.min(x, chart.chartArea.right - half)), y - 8)
          }
        })
      })
      g.restore()
    },
  }
}

export interface ChartPick { series: number; index: number }

/**
 * One report's chart on a canvas. The figures drawn are also on the canvas as `data-chart`
 * (labels and each series' data), so a test or an assistive tool reads what is drawn.
 */
export function ReportChartCanvas(props: { model: ChartModel; currency?: string; onPick?: (pick: ChartPick) => void; label: string }) {
  let canvas!: HTMLCanvasElement
  let chart: Chart | undefined

  const config = (m: ChartModel): ChartConfiguration => {
    const labelOf = (i: number, d: number) => formatValue(m.series[d]?.data[i] ?? null, m.series[d]?.format ?? 'number', props.currency)
    const tooltip = { callbacks: { label: (c: { dataIndex: number; datasetIndex: number; dataset: { label?: string } }) => `${c.dataset.label ?? ''}: ${labelOf(c.dataIndex, c.datasetIndex)}` } }
    if (m.kind === 'funnel') {
      return {
        type: 'funnel' as 'bar',
        data: { labels: m.labels, datasets: m.series.map((s) => ({ label: s.label, data: s.data.map((v) => v ?? 0), backgroundColor: m.labels.map((_, i) => fillOf(i)) })) },
        options: {
          indexAxis: 'y', maintainAspectRatio: false, animation: false,
          layout: { padding: { right: 220 } },
          plugins: { legend: { display: false }, tooltip },
          onClick: (_e, els) => { const el = els[0]; if (el) props.onPick?.({ series: el.datasetIndex, index: el.index }) },
        },
      } as ChartConfiguration
    }
    if (m.kind === 'doughnut') {
      return {
        type: 'doughnut',
        data: { labels: m.labels, datasets: m.series.slice(0, 1).map((s) => ({ label: s.label, data: s.data.map((v) => v ?? 0), backgroundColor: m.labels.map((_, i) => fillOf(i)), borderColor: '#ffffff', borderWidth: 2 })) },
        options: {
          maintainAspectRatio: false, animation: false,
          plugins: { legend: { position: 'right', labels: { generateLabels: (c) => Chart.overrides.doughnut.plugins.legend.labels.generateLabels(c).map((l, i) => ({ ...l, text: `${l.text}: ${labelOf(i, 0)}` })) } }, tooltip },
          onClick: (_e, els) => { const el = els[0]; if (el) props.onPick?.({ series: el.datasetIndex, index: el.index }) },
        },
      }
    }
    const line = m.kind === 'line'
    const stacked = m.kind === 'stackedBar'
    return {
      type: line ? 'line' : 'bar',
      data: {
        labels: m.labels,
        datasets: m.series.map((s, i) => ({
          label: s.label, data: s.data,
          backgroundColor: fillOf(i), borderColor: PALETTE[i % PALETTE.length]!, borderWidth: line ? 2.5 : 1,
          // lines differ by dash and point shape too, not by colour alone
          ...(line ? { borderDash: i % 2 ? [6, 4] : [], pointStyle: (['circle', 'rect', 'triangle', 'rectRot'] as const)[i % 4], pointRadius: 4 } : {}),
        })),
      },
      options: {
        maintainAspectRatio: false, animation: false,
        layout: { padding: { top: 18 } },
        scales: { x: { stacked }, y: { stacked, beginAtZero: true, grace: '8%', ticks: { callback: (v) => formatValue(Number(v), m.series[0]?.format ?? 'number', props.currency) } } },
        plugins: { legend: { display: m.series.length > 1, position: 'bottom' }, tooltip },
        onClick: (_e, els) => { const el = els[0]; if (el) props.onPick?.({ series: el.datasetIndex, index: el.index }) },
      },
    } as ChartConfiguration
  }

  const expose = (m: ChartModel) => {
    canvas.dataset.chart = JSON.stringify({ kind: m.kind, labels: m.labels, series: m.series.map((s) => ({ label: s.label, data: s.data })), notes: m.notes ?? [] })
  }

  onMount(() => {
    const plugin = directLabels(() => props.model, () => props.currency)
    createEffect(() => {
      const m = props.model
      const kindChanged = chart && (chart.config as { type?: string }).type !== (m.kind === 'stackedBar' ? 'bar' : m.kind)
      if (!chart || kindChanged) {
        chart?.destroy()
        chart = new Chart(canvas, { ...config(m), plugins: [plugin] })
      } else {
        // a teammate's edit: new figures on the same chart, without animation
        const next = config(m)
        chart.data = next.data
        chart.options = next.options ?? {}
        chart.update('none')
      }
      expose(m)
    })
  })
  onCleanup(() => chart?.destroy())

  return (
    <div class="kanso-chart-box">
      <canvas ref={canvas} role="img" aria-label={props.label} data-testid="report-chart" />
    </div>
  )
}
