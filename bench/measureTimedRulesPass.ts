import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { writeRule } from '../src/crdt/automationDoc'
import type { Rule, RuleAction, RuleTrigger } from '../src/domain/rules/rule'
import { startRelay } from '../server/startRelay'
import { consoleLogger } from '../server/relayLogger'
import { copyDataDir } from './copyDataDir'
import { BUDGET_WORKSPACE } from './generateWorkspace'
import { prepareWorkspace } from './prepareWorkspace'

export interface TimedPassBenchResult {
  records: number
  /** The first pass: the worker's copies loaded (rows posted to it) and every rule's first firings written. */
  firstPass: { totalMs: number; workerMs: number; fired: number; loopLagMaxMs: number; loopLagP99Ms: number }
  /** Steady passes (nothing new due): the worker's time over every row, and the event loop's delay meanwhile. */
  passes: { totalMs: number; workerMs: number; rows: number; loopLagMaxMs: number; loopLagP99Ms: number }[]
}

const NOW = '2026-12-06T00:00:00.000Z'
const task = (subject: string): RuleAction => ({ kind: 'createActivity', activityType: 'task', subject, assignee: { kind: 'owner' }, dueIn: { amount: 1, unit: 'days' } })
const timed = (id: string, trigger: RuleTrigger): Rule => ({ id, name: id, enabled: true, trigger, conditions: [], actions: [task(id)], createdAt: NOW, createdBy: 'bench' })

/**
 * Five time-based rules reading all 100k records: a deal's close date 3 days ahead and today
 * (a few deals each), and "no activity for 10 years" on contacts, companies and deals (every row
 * tested, the activities walked for the last-activity index, none due).
 */
const RULES: Rule[] = [
  timed('close-in-3', { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: -3 }),
  timed('close-today', { kind: 'dateOffset', entity: 'deals', field: 'deals.close_date', days: 0 }),
  timed('quiet-contacts', { kind: 'noActivity', entity: 'contacts', days: 3650 }),
  timed('quiet-companies', { kind: 'noActivity', entity: 'companies', days: 3650 }),
  timed('quiet-deals', { kind: 'noActivity', entity: 'deals', days: 3650 }),
]

/**
 * The relay's time-based pass (issue 16: ≤ 200 ms over the 100k-record workspace, off the event
 * loop) on a real relay over the bench's generated workspace: the worker's time per pass, and the
 * event loop's delay (perf_hooks, 10 ms resolution) while a pass runs.
 */
export async function measureTimedRulesPass(passes = 5): Promise<TimedPassBenchResult> {
  const prepared = prepareWorkspace(BUDGET_WORKSPACE, (m) => console.error(m))
  const dataDir = copyDataDir(prepared.templateDir)
  const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, distDir: null, rulesIntervalMs: null, apiRateLimit: null, logger: { ...consoleLogger, info: () => undefined } })
  try {
    await relay.automation.copy.write((doc) => { for (const rule of RULES) writeRule(doc, rule) })
    const measured = async () => {
      const lag = monitorEventLoopDelay({ resolution: 10 })
      lag.enable()
      const started = performance.now()
      const report = await relay.automation.timed.run()
      const totalMs = performance.now() - started
      lag.disable()
      if (!report) throw new Error('no time-based rule was on')
      return { report, totalMs, loopLagMaxMs: lag.max / 1e6, loopLagP99Ms: lag.percentile(99) / 1e6 }
    }
    const first = await measured()
    const steady: TimedPassBenchResult['passes'] = []
    for (let i = 0; i < passes; i++) {
      const m = await measured()
      steady.push({ totalMs: m.totalMs, workerMs: m.report.workerMs, rows: m.report.rows, loopLagMaxMs: m.loopLagMaxMs, loopLagP99Ms: m.loopLagP99Ms })
    }
    return {
      records: prepared.workspace.records,
      firstPass: { totalMs: first.totalMs, workerMs: first.report.workerMs, fired: first.report.fired, loopLagMaxMs: first.loopLagMaxMs, loopLagP99Ms: first.loopLagP99Ms },
      passes: steady,
    }
  } finally {
    await relay.close()
    prepared.remove()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await measureTimedRulesPass()
  const f = r.firstPass
  console.log(`time-based pass over ${r.records} records, 5 rules`)
  console.log(`first pass (worker loads its copies, ${f.fired} firings written): ${f.totalMs.toFixed(0)} ms in all, worker ${f.workerMs.toFixed(1)} ms; event loop delay p99 ${f.loopLagP99Ms.toFixed(1)} ms, max ${f.loopLagMaxMs.toFixed(1)} ms`)
  for (const p of r.passes) {
    console.log(`pass: worker ${p.workerMs.toFixed(1)} ms over ${p.rows} rows, ${p.totalMs.toFixed(1)} ms in all; event loop delay p99 ${p.loopLagP99Ms.toFixed(1)} ms, max ${p.loopLagMaxMs.toFixed(1)} ms`)
  }
}
