import type { BenchResults, Part } from './benchResults'
import type { CellEditSample } from './editCells'
import type { OpenSample } from './measureOpen'
import type { RulesBenchResult } from './measureRules'
import { percentile, summarize, type Summary } from './summarize'
import { slowestReport } from './measureReports'
import type { DashboardBenchResult } from './measureDashboard'
import type { BackupBenchResult } from './measureBackup'
import type { ImportBenchResult } from './measureImport'
import type { ExportBenchResult } from './measureExport'
import type { DuplicatesBenchResult } from './measureDuplicates'

export type FigureUnit = 'ratio' | 'ms' | 'task' | 'bytes' | 'perSecond' | 'count'

/** One line of the table: per-repetition samples, summarized as median (min–max). */
export interface Figure {
  /** "B1" … "B9" for a budget; empty for context. */
  id: string
  what: string
  unit: FigureUnit
  samples: number[]
  /** The budget: median ≤ limit (or ≥ for throughput). */
  budget?: { op: '≤' | '≥'; limit: number }
  /** Why this figure was not measured (the budget is then neither pass nor fail). */
  notMeasured?: string
  /** Printed under the table, e.g. repetitions that lacked a sample. */
  note?: string
}

export interface FigureCheck extends Figure {
  summary: Summary
  /** null: not measured, or no budget. */
  pass: boolean | null
}

/**
 * B5's sample: the keystroke's task (keydown → the text is in the grid) plus the rendering of the
 * frame that shows it (its animation callback → the first task after it), without the wait for
 * the display in between; ∞ when the cell never showed the value.
 */
export function keystrokeToFrameMs(s: CellEditSample): number {
  if (s.changedMs === null || s.frameMs === null || s.paintedMs === null) return Infinity
  return s.changedMs + (s.paintedMs - s.frameMs)
}

const p95 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.95)

/** B5: per repetition, p95 over its edits of keystrokeToFrameMs. */
export function cellEditP95(samples: CellEditSample[]): number {
  if (samples.length === 0) return NaN
  return p95(samples.map(keystrokeToFrameMs))
}

const median = (values: number[]) => summarize(values).median

function open(results: BenchResults): { samples: OpenSample[]; error?: string } {
  const part = results.open
  if (!part.result?.samples.length) return { samples: [], error: part.error ?? part.result?.errors[0] ?? 'not run' }
  return { samples: part.result.samples }
}

const perParse = (samples: OpenSample[], ms: (s: OpenSample) => number | null) =>
  samples.flatMap((s) => {
    const v = ms(s)
    return v === null ? [] : [v / median(s.jsonParseMs)]
  })

/** B1, B2, B7: the app's figure ÷ the floor page's, per repetition (both measured in it). */
export const perFloor = (samples: OpenSample[], ms: (s: OpenSample) => number | null, floorMs: (f: NonNullable<OpenSample['floor']>) => number | null | undefined) =>
  samples.flatMap((s) => {
    const v = ms(s)
    const f = s.floor ? floorMs(s.floor) : null
    return v === null || f === null || f === undefined ? [] : [v / f]
  })

/** Why a floor ratio has no sample in any repetition (the floor page failed, or was not opened). */
export function floorMissing(samples: OpenSample[], which: 'stored' | 'relay'): string | undefined {
  if (samples.length === 0 || samples.some((s) => s.floor?.[which])) return undefined
  const error = samples.flatMap((s) => s.floor?.errors ?? []).find((e) => e.includes(`(${which})`))
  return `not measured (${error?.split('\n')[0] ?? 'the floor page was not opened'})`
}

/** The nine budgets of issue 3, then context figures (no budget), from the raw results. */
export function figures(results: BenchResults): Figure[] {
  const out: Figure[] = []
  const o = open(results)
  const openMissing = o.error ? `not measured (${o.error.split('\n')[0]})` : undefined
  const plain = results.plainRows.result ?? []
  const plainHeap = median(plain.map((p) => p.heapBytes))

  const floorNotes = [...new Set(o.samples.flatMap((s) => s.floor?.errors ?? []).map((e) => e.split('\n')[0]))]
  out.push({
    id: 'B1', what: 'stored open → contacts rows shown, ÷ the floor page\'s', unit: 'ratio',
    samples: perFloor(o.samples, (s) => s.stored.shownMs, (f) => f.stored?.shownMs), budget: { op: '≤', limit: 1.2 },
    notMeasured: openMissing ?? floorMissing(o.samples, 'stored'),
    note: floorNotes.length ? `B1, B2, B7: ${floorNotes.join('; ')}` : undefined,
  })

  const edits = o.samples.map((s) => s.stored.edit)
  const b2Missing = openMissing
    ?? (edits.every((e) => e.error) ? `not measured (${edits[0]?.error})`
      : edits.every((e) => e.storedMs === null) ? 'not measured (no kanso:edit-stored mark)' : undefined)
  const lost = edits.filter((e) => e.keptAfterLoad === false).length
  out.push({
    id: 'B2', what: 'stored open → a cell edited and stored locally, ÷ the floor page\'s edit', unit: 'ratio',
    samples: perFloor(o.samples, (s) => s.stored.edit.storedMs, (f) => f.stored?.edit.storedMs), budget: { op: '≤', limit: 1.5 },
    notMeasured: b2Missing ?? floorMissing(o.samples, 'stored'),
    note: [
      !b2Missing && edits.some((e) => e.storedMs === null) ? `B2: ${edits.filter((e) => e.storedMs === null).length} of ${edits.length} repetitions had no kanso:edit-stored mark` : '',
      lost ? `B2: in ${lost} of ${edits.length} repetitions the first edit was not in the grid once the document had loaded (lost?)` : '',
    ].filter(Boolean).join('; ') || undefined,
  })

  const taskError = o.samples.find((s) => s.stored.longTaskError)?.stored.longTaskError
  out.push({
    id: 'B3', what: 'longest main-thread task, stored open until the edit is stored', unit: 'task',
    samples: o.samples.map((s) => s.stored.longestTaskMs), budget: { op: '≤', limit: 200 },
    notMeasured: openMissing ?? (taskError ? `not measured (${taskError})` : undefined),
    note: !openMissing && o.samples.some((s) => s.stored.edit.storedMs === null) ? 'B3: without the kanso:edit-stored mark the window ends 2 s after the rows were shown' : undefined,
  })

  out.push({
    id: 'B4', what: 'JS heap of the open tab (page + workers) ÷ the rows as plain objects', unit: 'ratio',
    samples: o.samples.flatMap((s) => (s.stored.heap ? [s.stored.heap.usedBytes / plainHeap] : [])),
    budget: { op: '≤', limit: 2 },
    notMeasured: openMissing ?? (results.plainRows.error ? `not measured (plain rows: ${results.plainRows.error.split('\n')[0]})` : undefined),
  })

  const missingEdits = o.samples.reduce((n, s) => n + s.stored.cellEdits.filter((e) => e.frameMs === null).length, 0)
  out.push({
    id: 'B5', what: 'keystroke (Enter) task + its frame\'s rendering, loaded; p95 per repetition', unit: 'ms',
    samples: o.samples.map((s) => cellEditP95(s.stored.cellEdits)), budget: { op: '≤', limit: 16 }, notMeasured: openMissing,
    note: missingEdits ? `B5: ${missingEdits} edits never showed their value within 5 s (counted as ∞)` : undefined,
  })

  const latency = results.latency
  const rounds = latency.result?.rounds ?? []
  const lostDeliveries = rounds.reduce((n, r) => n + Math.max(0, r.missing), 0)
  out.push({
    id: 'B6', what: `edit → visible in another client, ${results.config.latency.clients} clients; p99 per round`, unit: 'ms',
    samples: rounds.map((r) => r.p99Ms), budget: { op: '≤', limit: 100 },
    notMeasured: latency.error ? `not measured (${latency.error.split('\n')[0]})` : rounds.length ? undefined : 'not run',
    note: lostDeliveries ? `B6: ${lostDeliveries} deliveries never arrived` : undefined,
  })

  out.push({
    id: 'B7', what: 'new profile (data from the relay) → rows shown, ÷ the floor page\'s', unit: 'ratio',
    samples: perFloor(o.samples, (s) => s.fresh.shownMs, (f) => f.relay?.shownMs), budget: { op: '≤', limit: 1.2 },
    notMeasured: openMissing ?? floorMissing(o.samples, 'relay'),
  })

  const cold = results.coldLoad
  out.push({
    id: 'B8', what: 'relay event-loop lag p99 while it cold-loads the workspace + 20 busy clients', unit: 'ms',
    samples: cold.result?.lagP99Ms ?? [], budget: { op: '≤', limit: 50 },
    notMeasured: cold.error ? `not measured (${cold.error.split('\n')[0]})` : cold.result ? undefined : 'not run',
  })

  const vs = results.relayVsReference
  const vsMissing = vs.error ? `not measured (${vs.error.split('\n')[0]})` : vs.result ? undefined : 'not run'
  const rates = vs.result?.config.rates ?? results.config.relayVsReference.rates
  rates.forEach((rate, i) => {
    out.push({
      id: 'B9', what: `relay ÷ reference: edit → other client p99 @ ${rate} edits/s`, unit: 'ratio',
      samples: vs.result?.repRatios.p99ByRate[i] ?? [], budget: { op: '≤', limit: 1 }, notMeasured: vsMissing,
    })
  })
  out.push({
    id: 'B9', what: 'relay ÷ reference: updates/s flat out', unit: 'ratio',
    samples: vs.result?.repRatios.updatesPerSec ?? [], budget: { op: '≥', limit: 1 }, notMeasured: vsMissing,
    note: vs.result && vs.result.ours.missing + vs.result.reference.missing > 0 ? `B9: deliveries missing in the fixed-rate phases: ours ${vs.result.ours.missing}, reference ${vs.result.reference.missing}` : undefined,
  })

  const floodPart = results.flood
  const floodMissing = (floodPart.result?.reps ?? []).reduce((n, r) => n + Math.max(0, r.others.missing), 0)
  out.push({
    id: 'B10', what: 'edit → other client while another member floods 100k tiny updates in 1 s, 20 clients; p99 per repetition', unit: 'ms',
    samples: floodPart.result?.p99Ms ?? [], budget: { op: '≤', limit: 100 },
    notMeasured: floodPart.error ? `not measured (${floodPart.error.split('\n')[0]})` : floodPart.result ? undefined : 'not run',
    note: floodMissing ? `B10: ${floodMissing} deliveries never arrived` : undefined,
  })

  const api = results.api
  const apiMissing = api?.error ? `not measured (${api.error.split('\n')[0]})` : api?.result ? undefined : 'not run'
  const underLoad = api?.result?.underLoad
  const underLoadMissing = apiMissing ?? (underLoad ? undefined : `not measured (${api?.result?.underLoadError?.split('\n')[0] ?? 'no result'})`)
  out.push({
    id: 'B11', what: 'API: GET 50 filtered contacts (100k workspace), one at a time; p99 per round', unit: 'ms',
    samples: api?.result?.readP99Ms ?? [], budget: { op: '≤', limit: 20 }, notMeasured: apiMissing,
  })
  out.push({
    id: 'B12', what: 'API: POST one contact (100k workspace), one at a time; p99 per round', unit: 'ms',
    samples: api?.result?.createP99Ms ?? [], budget: { op: '≤', limit: 20 }, notMeasured: apiMissing,
  })
  const loadRefused = underLoad ? Object.values(underLoad.creates.refused).reduce((n, r) => n + r.count, 0) : 0
  out.push({
    id: 'B13', what: `API: creates/s answered 201 while B6's clients edit (sent at ${results.config.api?.createsPerSecond ?? 300}/s)`, unit: 'perSecond',
    samples: underLoad ? [underLoad.creates.createdPerSecond] : [], budget: { op: '≥', limit: results.config.api?.createsPerSecond ?? 300 }, notMeasured: underLoadMissing,
    note: loadRefused ? `B13: ${loadRefused} creates were not answered 201 (${Object.entries(underLoad!.creates.refused).map(([s, r]) => `${r.count}× ${s}`).join(', ')})` : undefined,
  })
  const loadRounds = underLoad?.latency.rounds ?? []
  const loadLost = loadRounds.reduce((n, r) => n + Math.max(0, r.missing), 0)
  out.push({
    id: 'B13', what: `edit → other client, ${results.config.latency.clients} clients, during those API creates (budget as B6); p99 per round`, unit: 'ms',
    samples: loadRounds.map((r) => r.p99Ms), budget: { op: '≤', limit: 100 }, notMeasured: underLoadMissing,
    note: loadLost ? `B13: ${loadLost} deliveries never arrived` : undefined,
  })
  const deals = results.dealTotals
  out.push({
    id: 'B14', what: 'deal totals over 200 lines (dealTotals, exact minor units); p99 of 1000 calls per repetition', unit: 'ms',
    samples: deals?.result?.p99Ms ?? [], budget: { op: '≤', limit: 1 }, notMeasured: deals?.result ? undefined : deals?.error ?? 'not run (results from before B14)',
  })
  const board = results.board
  out.push({
    id: 'B15', what: `board of ${board?.result?.deals.toLocaleString('en-US') ?? '20,000'} deals in one pipeline → first cards painted ÷ the deals grid → first rows shown (new profile, same relay)`, unit: 'ratio',
    samples: board?.result ? board.result.boardShownMs.map((ms, i) => ms / board.result!.gridShownMs[i]!) : [], budget: { op: '≤', limit: 1.5 },
    notMeasured: board?.result ? undefined : board?.error ?? 'not run (results from before B15)',
  })
  const moves = results.boardMoves
  out.push({
    id: 'B16', what: `board move (Shift+→) → the other member's board shows it in its new column, ${moves?.result?.busyClients ?? 20} clients editing meanwhile; p99 per round`, unit: 'ms',
    samples: moves?.result?.p99Ms ?? [], budget: { op: '≤', limit: 100 }, notMeasured: moves?.result ? undefined : moves?.error ?? 'not run (results from before B16)',
    note: moves?.result?.missing ? `B16: ${moves.result.missing} of ${moves.result.moves} moves never showed on the other board` : undefined,
  })
  const search = results.search
  out.push({
    id: 'B17', what: `search per keystroke over all ${search?.result?.records.toLocaleString('en-US') ?? '100,000'} records (SearchIndex.query, grouped results); p95 of ${search?.result?.keystrokesPerRep ?? 132} keystrokes per repetition`, unit: 'ms',
    samples: search?.result?.p95Ms ?? [], budget: { op: '≤', limit: 50 }, notMeasured: search?.result ? undefined : search?.error ?? 'not run (results from before B17)',
  })

  const views = results.viewFilter
  out.push({
    id: 'B19', what: 'a saved view applied to its list (compileViewFilter, then every row of its entity: up to 40k); p95 of 30 views per repetition', unit: 'ms',
    samples: views?.result?.p95Ms ?? [], budget: { op: '≤', limit: 16 }, notMeasured: views?.result ? undefined : views?.error ?? 'not run (results from before B19)',
  })

  const panel = results.recordPanel
  out.push({
    id: 'B18', what: `record panel of a company with ${panel?.result?.related ?? 500} related records: Space on its row → fields and every related count painted (indexes kept; each open a sample)`, unit: 'ms',
    samples: panel?.result?.openMs ?? [], budget: { op: '≤', limit: 100 }, notMeasured: panel?.result ? undefined : panel?.error ?? 'not run (results from before B18)',
  })

  const history = results.recordHistory
  out.push({
    id: 'B20', what: `history of a record with ${history?.result?.edits ?? 1000} edits: the record panel asks the relay → its timeline painted (each open a sample)`, unit: 'ms',
    samples: history?.result?.shownMs ?? [], budget: { op: '≤', limit: 100 }, notMeasured: history?.result ? undefined : history?.error ?? 'not run (results from before B20)',
  })

  out.push(...rulesFigures(results.rules))

  const reports = results.reports
  const reportsMissing = reports?.result ? undefined : reports?.error ?? 'not run (results from before B23)'
  const slow = reports?.result ? slowestReport(reports.result.perReportMs) : null
  const bigSlow = reports?.result ? slowestReport(reports.result.bigPerReportMs) : null
  out.push({
    id: 'B23', what: `funnel and every ready-made report over the workspace's ${reports?.result?.deals.toLocaleString('en-US') ?? '20,000'} deals and ${reports?.result?.activities.toLocaleString('en-US') ?? '40,000'} activities (runReport / runFunnel in Node), FIRST runs (no report key's facts kept: a first click, a change in the builder; the deals' readings every report shares kept from the reports run before); the slowest report's median of 3 per repetition`, unit: 'ms',
    samples: reports?.result?.workspaceSlowestMs ?? [], budget: { op: '≤', limit: 100 }, notMeasured: reportsMissing,
    note: slow ? `B23: slowest ${slow.id} (${slow.ms.toFixed(1)} ms in the last repetition)` : undefined,
  })
  out.push({
    id: 'B24', what: `the same engine over ${reports?.result?.bigDeals.toLocaleString('en-US') ?? '100,000'} deals in Node: the funnel and every deals report, first runs; the slowest's median of 3 per repetition`, unit: 'ms',
    samples: reports?.result?.bigSlowestMs ?? [], budget: { op: '≤', limit: 100 }, notMeasured: reportsMissing,
    note: bigSlow ? `B24: slowest ${bigSlow.id} (${bigSlow.ms.toFixed(1)} ms in the last repetition)` : undefined,
  })

  out.push(...dashboardFigures(results.dashboard))
  out.push(...backupFigures(results.backup))
  out.push(...importFigures(results.import))
  out.push(...exportFigures(results.export))
  out.push(...duplicatesFigures(results.duplicates))

  // Context: the absolute numbers behind the ratios, no budget.
  const ctx = (what: string, unit: FigureUnit, samples: number[]) => out.push({ id: '', what, unit, samples })
  const parse = o.samples.map((s) => median(s.jsonParseMs))
  ctx('wait for the launched browser\'s own start-up work, before each open', 'ms', o.samples.flatMap((s) => (s.browserIdle ?? []).map((w) => w.waitedMs)))
  ctx('stored open → rows shown', 'ms', o.samples.map((s) => s.stored.shownMs))
  ctx('stored open → edit stored (kanso:edit-stored)', 'ms', o.samples.flatMap((s) => (s.stored.edit.storedMs === null ? [] : [s.stored.edit.storedMs])))
  ctx('stored open → the bench clicked the cell', 'ms', o.samples.flatMap((s) => (s.stored.edit.clickedMs === null ? [] : [s.stored.edit.clickedMs])))
  ctx('stored open → contacts document loaded', 'ms', o.samples.flatMap((s) => (s.stored.docLoadedMs === null ? [] : [s.stored.docLoadedMs])))
  ctx('new profile → rows shown', 'ms', o.samples.map((s) => s.fresh.shownMs))
  ctx('new profile → synced', 'ms', o.samples.flatMap((s) => (s.fresh.syncedMs === null ? [] : [s.fresh.syncedMs])))
  const floorMs = (ms: (f: NonNullable<OpenSample['floor']>) => number | null | undefined) =>
    o.samples.flatMap((s) => {
      const v = s.floor ? ms(s.floor) : null
      return v === null || v === undefined ? [] : [v]
    })
  ctx('floor page, stored snapshot → rows shown', 'ms', floorMs((f) => f.stored?.shownMs))
  ctx('floor page, stored snapshot → edit taken by the grid', 'ms', floorMs((f) => f.stored?.edit.storedMs))
  ctx('floor page, stored snapshot → the bench clicked the cell', 'ms', floorMs((f) => f.stored?.edit.clickedMs))
  ctx('floor page, relay snapshot (new profile) → rows shown', 'ms', floorMs((f) => f.relay?.shownMs))
  ctx('JSON.parse of all rows, in the stored-open page', 'ms', parse)
  ctx('stored open → rows shown ÷ JSON.parse (the first budget\'s ratio)', 'ratio', perParse(o.samples, (s) => s.stored.shownMs))
  ctx('new profile → rows shown ÷ JSON.parse (the first budget\'s ratio)', 'ratio', perParse(o.samples, (s) => s.fresh.shownMs))
  ctx('longest task, new profile until rows shown + 2 s', 'task', o.samples.map((s) => s.fresh.longestTaskMs))
  // B5 split: the keystroke's own task (the text is in the grid when it ends) and that frame's
  // rendering; B5 leaves out the wait for the display's next refresh in between (0–16.7 ms)
  const editMs = (s: OpenSample, ms: (e: CellEditSample) => number | null) => s.stored.cellEdits.map((e) => ms(e) ?? Infinity)
  ctx('B5 keystroke → text in the grid (the keystroke\'s task), p95 per repetition', 'ms', o.samples.map((s) => p95(editMs(s, (e) => e.changedMs))))
  ctx('B5 the frame\'s rendering (animation callback → next task), p95 per repetition', 'ms', o.samples.map((s) => p95(editMs(s, (e) => (e.frameMs === null || e.paintedMs === null ? null : e.paintedMs - e.frameMs)))))
  ctx('B5 text in the grid → the frame starts (the wait for the display), p50', 'ms', o.samples.map((s) => percentile(editMs(s, (e) => (e.frameMs === null || e.changedMs === null ? null : e.frameMs - e.changedMs)).sort((a, b) => a - b), 0.5)))
  ctx('B5 keystroke → the frame rendered, with the wait (the first budget\'s figure), p95', 'ms', o.samples.map((s) => p95(editMs(s, (e) => e.paintedMs))))
  ctx('JS heap of the open tab (stored, after GC)', 'bytes', o.samples.flatMap((s) => (s.stored.heap ? [s.stored.heap.usedBytes] : [])))
  ctx('… of it in the page', 'bytes', o.samples.flatMap((s) => (s.stored.heap ? [s.stored.heap.mainBytes] : [])))
  ctx('… in the workspace worker', 'bytes', o.samples.flatMap((s) => (s.stored.heap ? [s.stored.heap.workerBytes] : [])))
  ctx('binary buffers of the tab besides (ArrayBuffers: the documents\' update bytes)', 'bytes', o.samples.flatMap((s) => (s.stored.heap ? [s.stored.heap.backingStoreBytes] : [])))
  ctx('JS heap of all rows as plain objects', 'bytes', plain.map((p) => p.heapBytes))
  ctx('relay loads the contacts document (1st connect)', 'ms', (results.open.result?.roomLoadMs ?? []).map((r) => r['entity-contacts'] ?? NaN))
  ctx('B6 edit → other client p50', 'ms', rounds.map((r) => r.p50Ms))
  ctx('B8 cold load: connect → all documents received', 'ms', cold.result?.loadMs ?? [])
  ctx('B8 busy clients edit → other client p99', 'ms', cold.result?.busyP99Ms ?? [])
  if (vs.result) {
    for (const [i, rate] of vs.result.config.rates.entries()) {
      ctx(`B9 ours p99 @ ${rate} edits/s`, 'ms', vs.result.ours.byRate[i]?.runs.map((r) => r.p99Ms) ?? [])
      ctx(`B9 reference p99 @ ${rate} edits/s`, 'ms', vs.result.reference.byRate[i]?.runs.map((r) => r.p99Ms) ?? [])
      ctx(`B9 ours p99 of all repetitions' deliveries pooled @ ${rate} edits/s`, 'ms', [vs.result.ours.byRate[i]?.p99Pooled ?? NaN])
      ctx(`B9 reference p99 of all repetitions' deliveries pooled @ ${rate} edits/s`, 'ms', [vs.result.reference.byRate[i]?.p99Pooled ?? NaN])
    }
    ctx('B9 ours updates/s flat out', 'perSecond', vs.result.ours.throughputRuns.map((r) => r.completedPerSecond))
    ctx('B9 reference updates/s flat out', 'perSecond', vs.result.reference.throughputRuns.map((r) => r.completedPerSecond))
  }
  const flood = results.flood.result?.reps ?? []
  if (flood.length) {
    ctx('B10 others\' edit → other client p50 during the flood', 'ms', flood.map((r) => r.others.p50Ms))
    ctx('B10 flooder closed (1013) after, from its first message', 'ms', flood.map((r) => r.flooderClosedMs ?? Infinity))
    ctx('B10 relay event-loop lag p99 during the flood', 'ms', flood.map((r) => r.lag.p99Ms))
    ctx('B10 relay peak RSS', 'bytes', flood.map((r) => r.relayPeakRssBytes))
    ctx('B10 fresh client syncs the flooded document', 'ms', flood.map((r) => r.freshSyncMs ?? Infinity))
  }
  ctx('B14 deal totals over 200 lines, p50 of 1000 calls per repetition', 'ms', results.dealTotals?.result?.p50Ms ?? [])
  ctx('B15 new profile → deals grid rows shown', 'ms', results.board?.result?.gridShownMs ?? [])
  ctx('B15 new profile → board cards painted', 'ms', results.board?.result?.boardShownMs ?? [])
  ctx('B16 board move → the other board, p50 per round', 'ms', results.boardMoves?.result?.p50Ms ?? [])
  ctx('B17 search per keystroke, p50 per repetition', 'ms', results.search?.result?.p50Ms ?? [])
  ctx('B18 the tab\'s first record panel (loads and indexes contacts, deals, activities)', 'ms', results.recordPanel?.result ? [results.recordPanel.result.firstOpenMs] : [])
  ctx('B20 GET …/history of the record (1,000 entries) from Node, no page', 'ms', results.recordHistory?.result?.relayAnswerMs ?? [])
  ctx('B20 Space on the record\'s row → its panel\'s timeline painted (B18\'s open plus the history)', 'ms', results.recordHistory?.result?.fromKeyMs ?? [])
  ctx('B23 the first funnel over the workspace (before the code is optimized and zone offsets are known)', 'ms', results.reports?.result ? [results.reports.result.firstFunnelMs] : [])
  ctx('B24 the first funnel over 100k deals', 'ms', results.reports?.result ? [results.reports.result.firstBigFunnelMs] : [])
  for (const [id, ms] of Object.entries(results.reports?.result?.perReportMs ?? {})) ctx(`B23 ${id}, median of 3 first runs in the last repetition`, 'ms', [ms])
  for (const [id, ms] of Object.entries(results.reports?.result?.bigPerReportMs ?? {})) ctx(`B24 ${id} over 100k deals, median of 3 first runs`, 'ms', [ms])
  ctx('B23 first runs, process CPU time: the slowest report\'s median per repetition', 'ms', results.reports?.result?.workspaceSlowestCpuMs ?? [])
  ctx('B24 first runs over 100k deals, process CPU time: the slowest report\'s median per repetition', 'ms', results.reports?.result?.bigSlowestCpuMs ?? [])
  for (const [id, ms] of Object.entries(results.reports?.result?.bigPerReportCpuMs ?? {})) ctx(`B24 ${id} over 100k deals, median CPU time of 3 first runs`, 'ms', [ms])
  ctx('B23 cold (nothing kept, the deals\' readings neither: the first report after the rows arrive), process CPU time: the slowest report per repetition', 'ms', results.reports?.result?.workspaceColdSlowestCpuMs ?? [])
  ctx('B24 cold over 100k deals, process CPU time: the slowest report per repetition', 'ms', results.reports?.result?.bigColdSlowestCpuMs ?? [])
  for (const [id, ms] of Object.entries(results.reports?.result?.bigColdPerReportCpuMs ?? {})) ctx(`B24 ${id} over 100k deals, median CPU time of 3 cold runs`, 'ms', [ms])
  ctx('B23 warm (every row\'s facts kept from the run before): the slowest report per repetition', 'ms', results.reports?.result?.workspaceWarmSlowestMs ?? [])
  ctx('B24 warm over 100k deals: the slowest report per repetition', 'ms', results.reports?.result?.bigWarmSlowestMs ?? [])
  const storageGrowth = results.historyStorage?.result
  ctx('history: record_history table + index growth per 10k edits', 'bytes', storageGrowth ? [storageGrowth.historyBytesPer10k] : [])
  ctx('history: stored updates per 10k edits, stamped ($edited@<field>)', 'bytes', storageGrowth ? [storageGrowth.updateBytesPer10k.stamped] : [])
  ctx('history: stored updates per 10k edits, the same edits without stamps', 'bytes', storageGrowth ? [storageGrowth.updateBytesPer10k.unstamped] : [])
  ctx('history: compacted document of 1000 records after 10k edits, stamped', 'bytes', storageGrowth ? [storageGrowth.compactedBytes.stamped] : [])
  ctx('history: compacted document of 1000 records after 10k edits, without stamps', 'bytes', storageGrowth ? [storageGrowth.compactedBytes.unstamped] : [])
  ctx('B17 building the search index from every row (once; the app builds it on the first search, a few chunks per task)', 'ms', results.search?.result ? [results.search.result.buildMs] : [])
  if (api?.result) {
    const a = api.result
    for (const f of a.firstReads) ctx(`B11 first request on ${f.entity} (${f.records.toLocaleString('en-US')} records: the relay loads its copy)`, 'ms', [f.ms])
    for (const f of a.firstReads) ctx(`B11 relay event-loop lag max during that first request (${f.entity})`, 'ms', [f.lag.maxMs])
    ctx('B11 GET 50 filtered contacts p50 per round', 'ms', a.readP50Ms)
    for (const [query, ms] of Object.entries(a.readsByQuery)) ctx(`B11 p99 of ?${query}`, 'ms', [percentile([...ms].sort((x, y) => x - y), 0.99)])
    ctx('B12 first create (the relay loads the contacts room)', 'ms', [a.firstCreateMs])
    ctx('B12 POST one contact p50 per round', 'ms', a.createP50Ms)
    if (a.underLoad) {
      ctx('B13 create p50 at that rate', 'ms', [a.underLoad.creates.p50Ms])
      ctx('B13 create p99 at that rate', 'ms', [a.underLoad.creates.p99Ms])
      ctx('B13 relay event-loop lag p99 during it', 'ms', [a.underLoad.lag.p99Ms])
      ctx('B13 edit → other client p50 per round', 'ms', a.underLoad.latency.rounds.map((r) => r.p50Ms))
    }
  }
  return out
}

/** B21 and B22 (issue 16), then their context: the engine's cost per cell edit and the relay's time-based pass. */
export function rulesFigures(part: Part<RulesBenchResult> | undefined): Figure[] {
  const r = part?.result
  const missing = r ? undefined : part?.error ? `not measured (${part.error.split('\n')[0]})` : 'not run (results from before B21)'
  return [
    {
      id: 'B21', what: `rules added to a cell edit: runRules for one deal edit with ${r?.rules ?? 50} rules on (mixed triggers and conditions); p95 of ${r?.editsPerRep ?? 2000} edits per repetition`, unit: 'ms',
      samples: r?.editP95Ms ?? [], budget: { op: '≤', limit: 1 }, notMeasured: missing,
      note: r ? `B21: ${r.editsFiring} of ${r.editsPerRep * r.editP95Ms.length} edits fired a rule, ${r.writesPlanned} writes planned` : undefined,
    },
    {
      id: 'B22', what: `the relay's time-based pass: dueTimedFirings over ${r?.records.toLocaleString('en-US') ?? '100,000'} records with ${r?.timedRules ?? 5} time-based rules (one pass per repetition)`, unit: 'ms',
      samples: r?.timedPassMs ?? [], budget: { op: '≤', limit: 200 }, notMeasured: missing,
      note: r ? `B22: ${r.dueFirings.toLocaleString('en-US')} firings due per pass (the relay skips those whose key it holds)` : undefined,
    },
    { id: '', what: 'B21 runRules per deal edit, p50 per repetition', unit: 'ms', samples: r?.editP50Ms ?? [] },
    { id: '', what: 'B21 with the rules as new objects each edit (nothing compiled kept), p95 per repetition', unit: 'ms', samples: r?.uncachedEditP95Ms ?? [] },
  ]
}

/** B25: the sales dashboard's update after a teammate's deal edit. */
export function dashboardFigures(part: Part<DashboardBenchResult> | undefined): Figure[] {
  const r = part?.result
  const missing = r ? undefined : part?.error ? `not measured (${part.error.split('\n')[0]})` : 'not run (results from before B25)'
  return [
    {
      id: 'B25', what: `a dashboard of ${r?.tiles ?? 6} reports after a teammate's deal edit: the deals' rows copied from the store and its ${r?.dealTiles ?? 5} deals reports run again with their chart models, over ${r?.deals.toLocaleString('en-US') ?? '20,000'} deals (Node, no canvas); p95 of ${r?.edits ?? 40} edits per repetition`, unit: 'ms',
      samples: r?.p95Ms ?? [], budget: { op: '≤', limit: 50 }, notMeasured: missing,
    },
    { id: '', what: 'B25 dashboard update, median per repetition', unit: 'ms', samples: r?.medianMs ?? [] },
  ]
}

/** B27: a backup of the workspace over HTTP, and the relay's event loop meanwhile. */
export function backupFigures(part: Part<BackupBenchResult> | undefined): Figure[] {
  const r = part?.result
  const missing = r ? undefined : part?.error ? `not measured (${part.error.split('\n')[0]})` : 'not run (results from before B27)'
  const records = r?.records.toLocaleString('en-US') ?? '100,000'
  return [
    {
      id: 'B27', what: `a backup of the ${records}-record workspace: GET /api/v1/backup → the last byte, 20 clients editing meanwhile`, unit: 'ms',
      samples: r?.backupMs ?? [], budget: { op: '≤', limit: 10_000 }, notMeasured: missing,
    },
    {
      id: 'B27b', what: 'relay event-loop lag p99 during that backup', unit: 'ms',
      samples: r?.lagP99Ms ?? [], budget: { op: '≤', limit: 50 }, notMeasured: missing,
    },
    { id: '', what: 'B27 relay event-loop lag max during the backup', unit: 'ms', samples: r?.lagMaxMs ?? [] },
    { id: '', what: 'B27 backup file size', unit: 'bytes', samples: r?.bytes ?? [] },
  ]
}

/** The HTTP import's figures as results saved before B26 measured the app import kept them. */
interface HttpOnlyImportResult { rows: number; importMs: number[]; lagP99Ms: number[]; lagMaxMs: number[] }

/**
 * B26: 100k contacts imported from a CSV in the app (Chromium): choosing the file → the summary,
 * the page's longest task meanwhile and the progress bar's moves, as the issue budgets them; the
 * relay's loop lag meanwhile and the same CSV over HTTP (B26h) as figures without a budget.
 */
export function importFigures(part: Part<ImportBenchResult | HttpOnlyImportResult> | undefined): Figure[] {
  const r = part?.result
  const app = r && 'app' in r ? r.app : undefined
  const http = r && 'http' in r ? r.http : r && 'importMs' in r ? { importMs: r.importMs, lagP99Ms: r.lagP99Ms, lagMaxMs: r.lagMaxMs } : undefined
  const failed = part?.error ? `not measured (${part.error.split('\n')[0]})` : undefined
  const missing = app?.importMs.length ? undefined : failed ?? (r ? 'not run (results from before B26 measured the import in the app)' : 'not run (results from before B26)')
  const rows = r?.rows.toLocaleString('en-US') ?? '100,000'
  return [
    {
      id: 'B26', what: `${rows} contacts imported from a CSV in the app (Chromium): file chosen → the summary, mapping and preview clicked through`, unit: 'ms',
      samples: app?.importMs ?? [], budget: { op: '≤', limit: 10_000 }, notMeasured: missing,
    },
    {
      id: 'B26b', what: 'longest main-thread task of the page during that import (PerformanceObserver longtask)', unit: 'task',
      samples: app?.longestTaskMs ?? [], budget: { op: '≤', limit: 200 }, notMeasured: missing,
    },
    {
      id: 'B26c', what: 'distinct values the progress bar showed during that import', unit: 'count',
      samples: app?.progressValues ?? [], budget: { op: '≥', limit: 5 }, notMeasured: missing,
    },
    { id: '', what: 'B26 the summary → every record on the relay (sync indicator)', unit: 'ms', samples: app?.syncedMs ?? [] },
    { id: '', what: 'B26 relay event-loop lag p99 during the app import', unit: 'ms', samples: app?.lagP99Ms ?? [] },
    { id: '', what: 'B26 relay event-loop lag max during the app import', unit: 'ms', samples: app?.lagMaxMs ?? [] },
    { id: 'B26h', what: `the same CSV over HTTP: POST /api/v1/contacts/import → the answer (no budget)`, unit: 'ms', samples: http?.importMs ?? [] },
    { id: '', what: 'B26h relay event-loop lag p99 during the HTTP import', unit: 'ms', samples: http?.lagP99Ms ?? [] },
    { id: '', what: 'B26h relay event-loop lag max during the HTTP import', unit: 'ms', samples: http?.lagMaxMs ?? [] },
  ]
}

/** B28: 100k contacts exported as CSV and as XLSX over HTTP; the relay's event loop meanwhile as context. */
export function exportFigures(part: Part<ExportBenchResult> | undefined): Figure[] {
  const r = part?.result
  const missing = r ? undefined : part?.error ? `not measured (${part.error.split('\n')[0]})` : 'not run (results from before B28)'
  const rows = r?.rows.toLocaleString('en-US') ?? '100,000'
  return [
    {
      id: 'B28', what: `${rows} contacts exported as CSV: GET /api/v1/contacts/export?format=csv → the last byte`, unit: 'ms',
      samples: r?.csvMs ?? [], budget: { op: '≤', limit: 5_000 }, notMeasured: missing,
    },
    {
      id: 'B28b', what: `the same ${rows} contacts exported as XLSX: GET /api/v1/contacts/export?format=xlsx → the last byte`, unit: 'ms',
      samples: r?.xlsxMs ?? [], budget: { op: '≤', limit: 5_000 }, notMeasured: missing,
    },
    { id: '', what: 'B28 relay event-loop lag p99 during the CSV export', unit: 'ms', samples: r?.csvLagP99Ms ?? [] },
    { id: '', what: 'B28 relay event-loop lag p99 during the XLSX export', unit: 'ms', samples: r?.xlsxLagP99Ms ?? [] },
    { id: '', what: 'B28 relay event-loop lag max during the exports', unit: 'ms', samples: r?.lagMaxMs ?? [] },
    { id: '', what: 'B28 CSV file size', unit: 'bytes', samples: r?.csvBytes ?? [] },
    { id: '', what: 'B28 XLSX file size', unit: 'bytes', samples: r?.xlsxBytes ?? [] },
    {
      id: 'B28c', what: `the page's longest main-thread task while the app exports the ${rows} contacts' grid as CSV, then XLSX (Export ▾ → the download)`, unit: 'task',
      samples: r?.app?.longestTaskMs ?? [], budget: { op: '≤', limit: 200 }, notMeasured: missing ?? (r?.app ? undefined : 'not measured (no app: built only with open, board, panel, history, import or export)'),
    },
    { id: '', what: 'B28c in the app: Export ▾ → the CSV downloaded', unit: 'ms', samples: r?.app?.csvMs ?? [] },
    { id: '', what: 'B28c in the app: Export ▾ → the XLSX downloaded', unit: 'ms', samples: r?.app?.xlsxMs ?? [] },
  ]
}

export function checkFigures(results: BenchResults): FigureCheck[] {
  return figures(results).map((f) => {
    const summary = summarize(f.samples)
    let pass: boolean | null = null
    if (f.budget && !f.notMeasured) {
      pass = summary.n === 0 || Number.isNaN(summary.median) ? null : f.budget.op === '≤' ? summary.median <= f.budget.limit : summary.median >= f.budget.limit
    }
    return { ...f, notMeasured: f.notMeasured ?? (f.budget && summary.n === 0 ? 'not measured (no samples)' : undefined), summary, pass }
  })
}

/** B29 (issue 18): the duplicates of 100k contacts, as GET …/duplicates and the app's Duplicates… screen find them. */
export function duplicatesFigures(part: Part<DuplicatesBenchResult> | undefined): Figure[] {
  const r = part?.result
  const missing = r ? undefined : part?.error ? `not measured (${part.error.split('\n')[0]})` : 'not run (results from before B29)'
  return [
    {
      id: 'B29', what: `duplicates over ${r?.contacts.toLocaleString('en-US') ?? '100,000'} contacts: findDuplicates (same email, phone, name, names a typo apart) in Node, one run per repetition`, unit: 'ms',
      samples: r?.findMs ?? [], budget: { op: '≤', limit: 1000 }, notMeasured: missing,
      note: r ? `B29: ${r.groups.toLocaleString('en-US')} groups; planted pairs found — email ${r.found.email}/${r.planted.email}, phone ${r.found.phone}/${r.planted.phone}, typo ${r.found.typo}/${r.planted.typo}` : undefined,
    },
    { id: '', what: 'B29 the same runs\' CPU time (user + system)', unit: 'ms', samples: r?.cpuMs ?? [] },
  ]
}
