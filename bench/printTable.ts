import type { BenchResults } from './benchResults'
import { checkFigures, type FigureCheck, type FigureUnit } from './budgets'
import { ENTITIES } from './generateWorkspace'

function format(v: number, unit: FigureUnit, like: number): string {
  if (v === Infinity) return '∞'
  if (!Number.isFinite(v)) return '—'
  if (unit === 'ratio') return `${v.toFixed(like >= 10 ? 1 : 2)}×`
  if (unit === 'bytes') return `${(v / 1e6).toFixed(like >= 1e8 ? 0 : 1)} MB`
  if (unit === 'perSecond') return `${v.toFixed(0)}/s`
  if (unit === 'count') return v.toFixed(0)
  // 'task': the longest task is 0 when no task took over 50 ms (the long-task threshold)
  if (unit === 'task' && v === 0) return '<50 ms'
  // figures well under a millisecond (B14, B21) keep three decimals, or they all read 0.0 ms
  return like >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(like >= 100 ? 0 : like >= 1 ? 1 : 3)} ms`
}

/** "median (min–max)", the value alone for one sample; "n=…" when fewer samples than expected. */
function measured(f: FigureCheck, expected: number): string {
  if (f.notMeasured) return f.notMeasured
  const s = f.summary
  if (s.n === 0) return '—'
  const m = s.median
  const text = s.n === 1 ? format(m, f.unit, m) : `${format(m, f.unit, m)} (${format(s.min, f.unit, m)}–${format(s.max, f.unit, m)})`
  return f.budget && s.n < expected ? `${text} n=${s.n}` : text
}

function budget(f: FigureCheck): string {
  if (!f.budget) return ''
  const limit = f.unit === 'ratio' ? `${f.budget.limit}×` : f.unit === 'perSecond' ? `${f.budget.limit}/s` : f.unit === 'count' ? `${f.budget.limit}` : `${f.budget.limit} ms`
  return `${f.budget.op} ${limit}${f.id === 'B5' ? ' p95' : f.id === 'B6' || f.id === 'B8' ? ' p99' : ''}`
}

function result(f: FigureCheck): string {
  if (!f.budget) return ''
  return f.pass === null ? '—' : f.pass ? 'pass' : 'FAIL'
}

/** Repetitions each budget figure should have (the issue asks for at least 5 in the full run). */
function expectedSamples(results: BenchResults, f: FigureCheck): number {
  const c = results.config
  if (f.id === 'B6') return c.latency.rounds
  if (f.id === 'B8') return c.coldLoad.reps
  if (f.id === 'B9') return c.relayVsReference.reps
  if (f.id === 'B10') return c.flood.reps
  if (f.id === 'B11' || f.id === 'B12') return c.api?.rounds ?? 0
  if (f.id === 'B13') return f.unit === 'perSecond' ? 1 : c.latency.rounds
  return c.openReps
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`

/** The one table `npm run bench` prints: budgets B1–B9, then context figures, then notes. */
export function printTable(results: BenchResults): string {
  const checks = checkFigures(results)
  const rows = checks.map((f) => [f.id ? `${f.id} ${f.what}` : `   ${f.what}`, measured(f, expectedSamples(results, f)), budget(f), result(f)])
  const header = ['figure', 'measured: median (min–max)', 'budget', 'result']
  const budgetRows = rows.filter((_, i) => checks[i]!.id)
  const contextRows = rows.filter((_, i) => !checks[i]!.id)
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  const rule = '-'.repeat(widths.reduce((n, w) => n + w + 2, 0) - 2)

  const m = results.machine
  const c = results.config
  const w = results.workspace
  const busy = Math.max(m.loadAverage, results.loadAverageAtEnd) > m.cores * 0.5
  const out = [
    `Kanso bench — ${results.startedAt} — ${results.flags.quick ? 'QUICK SMOKE RUN (--quick): a 10k-record workspace and 2 repetitions; NOT the budget run of issue 3' : 'budget run (issue 3)'}`,
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM, ${m.os}; Node ${m.node}; ${m.chromium}`,
    `load average (1 min): ${m.loadAverage.toFixed(2)} at start, ${results.loadAverageAtEnd.toFixed(2)} at end${busy ? '  ← other work was running: figures are noisy' : ''}`,
    w
      ? `workspace: ${w.records.toLocaleString('en-US')} records — ${ENTITIES.map((e) => `${w.counts[e].toLocaleString('en-US')} ${e}`).join(', ')} (contacts: 12 fields, 5 of them custom); Yjs ${(w.docs.reduce((n, d) => n + d.bytes, 0) / 1e6).toFixed(0)} MB, rows as JSON ${(w.allRowsJsonBytes / 1e6).toFixed(0)} MB`
      : 'workspace: not generated',
    `repetitions: open ${c.openReps} (new relay from the seeded copy, new-profile open, then stored open; ${c.cellEdits} cell edits each), B6 ${c.latency.rounds} rounds of ${c.latency.roundMs / 1000} s, B8 ${c.coldLoad.reps}, B9 ${c.relayVsReference.reps} per server`,
    '',
    line(header),
    rule,
    ...budgetRows.map(line),
    rule,
    'context (no budget)',
    ...contextRows.map(line),
    rule,
  ]
  for (const f of checks) if (f.note) out.push(f.note)
  for (const [name, part] of [['build', results.build], ['workspace', results.prepare], ['open', results.open], ['plain rows', results.plainRows], ['B6', results.latency], ['B8', results.coldLoad], ['B9', results.relayVsReference], ['B10', results.flood], ['B11–B13', results.api ?? { ms: 0 }]] as const) {
    if (part.error) out.push(`${name} failed: ${part.error}`)
  }
  for (const e of results.open.result?.errors ?? []) out.push(`open repetition failed: ${e}`)
  const budgets = checks.filter((f) => f.budget)
  const failed = budgets.filter((f) => f.pass === false)
  const unmeasured = budgets.filter((f) => f.pass === null)
  out.push(`budgets: ${budgets.filter((f) => f.pass).length} pass, ${failed.length} FAIL, ${unmeasured.length} not measured${failed.length ? ` — failing: ${[...new Set(failed.map((f) => f.id))].join(', ')}` : ''}${unmeasured.length ? ` — not measured: ${[...new Set(unmeasured.map((f) => f.id))].join(', ')}` : ''}`)
  out.push(`time: build ${seconds(results.build.ms)}, workspace ${seconds(results.prepare.ms)}, open ×${c.openReps} ${seconds(results.open.ms)}, plain rows ${seconds(results.plainRows.ms)}, B6 ${seconds(results.latency.ms)}, B8 ${seconds(results.coldLoad.ms)}, B9 ${seconds(results.relayVsReference.ms)}, B10 ${seconds(results.flood.ms)}, API ${seconds(results.api?.ms ?? 0)}; total ${(results.durationMs / 60_000).toFixed(1)} min`)
  return out.join('\n')
}
