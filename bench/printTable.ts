import type { BenchResults, SizeResult } from './benchResults'
import { checkBudgets, openRatios, OPEN_BUDGET_CONTACTS, type BudgetCheck } from './budgets'
import { summarize, type Summary } from './summarize'

/** A unit chosen for the median; min and max are shown in the same unit. */
interface Unit { scale: number; suffix: string; digits: number }
type UnitFor = (v: number) => Unit

const msUnit: UnitFor = (v) => (v >= 1000 ? { scale: 1000, suffix: ' s', digits: 2 } : { scale: 1, suffix: ' ms', digits: v >= 100 ? 0 : 1 })
const mbUnit: UnitFor = (v) => ({ scale: 1e6, suffix: ' MB', digits: v >= 1e8 ? 0 : 1 })
const timesUnit: UnitFor = (v) => ({ scale: 1, suffix: '×', digits: v >= 10 ? 0 : 1 })

function format(v: number, unit: Unit): string {
  return Number.isFinite(v) ? (v / unit.scale).toFixed(unit.digits) : '—'
}

/** "median (min–max) unit"; the value alone when there was one sample. */
function cell(s: Summary, unitFor: UnitFor): string {
  if (s.n === 0 || !Number.isFinite(s.median)) return '—'
  const unit = unitFor(s.median)
  if (s.n === 1) return `${format(s.median, unit)}${unit.suffix}`
  return `${format(s.median, unit)}${unit.suffix} (${format(s.min, unit)}–${format(s.max, unit)})`
}

const median = (values: number[]) => summarize(values).median

interface Row {
  label: string
  /** One cell per measured size, in order. */
  cells: string[]
  budget?: string
  status?: string
}

function status(check: BudgetCheck | undefined): string {
  if (!check || check.pass === null) return ''
  return check.pass ? 'pass' : 'FAIL'
}

function sizeLabel(contacts: number): string {
  return contacts >= 1000 ? `${contacts / 1000}k contacts` : `${contacts} contacts`
}

/** The one table `npm run bench` prints: medians with (min–max) over the repetitions. */
export function printTable(results: BenchResults): string {
  const sizes = results.sizes
  const checks = checkBudgets(results)
  const byId = (id: string) => checks.find((c) => c.id === id)
  const per = (f: (s: SizeResult) => string) => sizes.map((s) => (s.error ? 'error' : f(s)))
  const openBudget = (which: 'fresh' | 'stored') => {
    const check = byId(`open-${which}-100k`)
    return { budget: `≤ 1.5× (at ${OPEN_BUDGET_CONTACTS / 1000}k)`, status: check?.pass === null ? 'not run' : status(check) }
  }
  const latency = results.latency
  const rounds = latency?.result?.rounds ?? []
  const latencyCells = (f: () => string) => sizes.map((s) => (latency && s.contacts === latency.contacts ? (latency.error ? 'error' : f()) : '—'))
  const p99Check = byId('relay-p99-20-clients')

  const rows: Row[] = [
    { label: 'open, new profile (data from relay) → rows shown', cells: per((s) => cell(summarize(s.open.map((o) => o.fresh.shownMs)), msUnit)) },
    { label: 'open, stored (IndexedDB) → rows shown', cells: per((s) => cell(summarize(s.open.map((o) => o.stored.shownMs)), msUnit)) },
    { label: 'JSON.parse of the same rows, same page', cells: per((s) => cell(summarize(s.open.map((o) => median(o.jsonParseMs))), msUnit)) },
    { label: '  open new profile ÷ JSON.parse', cells: per((s) => cell(openRatios(s, 'fresh'), timesUnit)), ...openBudget('fresh') },
    { label: '  open stored ÷ JSON.parse', cells: per((s) => cell(openRatios(s, 'stored'), timesUnit)), ...openBudget('stored') },
    { label: 'JS heap of the open tab (after GC)', cells: per((s) => cell(summarize(s.open.map((o) => o.stored.heap.usedBytes)), mbUnit)) },
    { label: 'JS heap of the rows as plain objects', cells: per((s) => cell(summarize(s.plainRows.map((p) => p.heapBytes)), mbUnit)) },
    { label: '  open tab ÷ plain objects', cells: per((s) => cell(summarize(s.open.map((o) => o.stored.heap.usedBytes / median(s.plainRows.map((p) => p.heapBytes)))), timesUnit)) },
    { label: 'edit → other client, 20 clients, p50', cells: latencyCells(() => cell(summarize(rounds.map((r) => r.p50Ms)), msUnit)) },
    { label: 'edit → other client, 20 clients, p99', cells: latencyCells(() => cell(summarize(rounds.map((r) => r.p99Ms)), msUnit)), budget: '≤ 100 ms', status: p99Check?.pass === null ? 'not run' : status(p99Check) },
    { label: '', cells: sizes.map(() => '') },
    { label: 'context: contacts doc, Yjs update / JSON', cells: per((s) => `${format(s.contactsYjsBytes, mbUnit(0))} MB / ${format(s.contactsJsonBytes, mbUnit(0))} MB`) },
    { label: 'context: relay loads the doc (1st connect)', cells: per((s) => cell(summarize(s.roomLoadMs), msUnit)) },
    { label: 'context: new profile → "synced"', cells: per((s) => cell(summarize(s.open.map((o) => o.fresh.syncedMs ?? NaN)), msUnit)) },
    { label: 'context: JS heap after new-profile open', cells: per((s) => cell(summarize(s.open.map((o) => o.fresh.heap.usedBytes)), mbUnit)) },
    { label: 'context: JSON.parse in an empty page', cells: per((s) => cell(summarize(s.plainRows.map((p) => median(p.jsonParseMs))), msUnit)) },
    {
      label: 'context: relay test deliveries (missing)',
      cells: latencyCells(() => `${rounds.reduce((n, r) => n + r.deliveries, 0)} (${rounds.reduce((n, r) => n + Math.max(0, r.missing), 0)}) in ${rounds.length} rounds`),
    },
  ]

  const header: Row = { label: 'metric', cells: sizes.map((s) => sizeLabel(s.contacts)), budget: 'budget', status: 'result' }
  const all = [header, ...rows]
  const labelWidth = Math.max(...all.map((r) => r.label.length))
  const cellWidths = sizes.map((_, i) => Math.max(...all.map((r) => r.cells[i]?.length ?? 0)))
  const budgetWidth = Math.max(...all.map((r) => r.budget?.length ?? 0))
  const line = (r: Row) =>
    [r.label.padEnd(labelWidth), ...r.cells.map((c, i) => c.padEnd(cellWidths[i] ?? 0)), (r.budget ?? '').padEnd(budgetWidth), r.status ?? '']
      .join('  ')
      .trimEnd()
  const rule = '-'.repeat(line(header).length + 6)

  const m = results.machine
  const out = [
    `Kanso bench — ${results.startedAt}${results.flags.quick ? ' (--quick)' : ''}`,
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM, ${m.os}; Node ${m.node}; ${m.chromium}`,
    `load average (1 min): ${m.loadAverage.toFixed(2)} at start, ${results.loadAverageAtEnd.toFixed(2)} at end${Math.max(m.loadAverage, results.loadAverageAtEnd) > m.cores * 0.5 ? '  ← other work was running: figures are noisy' : ''}`,
    `workspace: contacts with 12 fields (7 default + City, Score, Budget, Last contact, VIP), 1 company per 50 contacts`,
    `figures: median (min–max) over ${describeReps(results)}`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    rule,
  ]
  if (latency) out.push(`edit latency: ${latency.clients} y-websocket clients in one Node process on entity-contacts of the ${sizeLabel(latency.contacts)} workspace, each editing every ${latency.editIntervalMs} ms (${((latency.clients * 1000) / latency.editIntervalMs).toFixed(0)} edits/s); ${rounds.length} rounds of ${latency.roundMs / 1000} s; min–max are over rounds.`)
  for (const s of sizes) if (s.error) out.push(`${sizeLabel(s.contacts)}: ${s.error}`)
  if (latency?.error) out.push(`relay latency: ${latency.error}`)
  const failed = checks.filter((c) => c.pass === false)
  out.push(`budgets: ${checks.filter((c) => c.pass === true).length} pass, ${failed.length} fail, ${checks.filter((c) => c.pass === null).length} not run${failed.length ? ` — failing: ${failed.map((c) => `${c.id} (${c.measured}, budget ${c.limit})`).join('; ')}` : ''}`)
  return out.join('\n')
}

function describeReps(results: BenchResults): string {
  const parts = results.sizes.map((s) => `${sizeLabel(s.contacts)}: ${s.open.length} repetitions`)
  return `${parts.join(', ')}; each repetition starts the relay from the same stored state with a new browser profile`
}
