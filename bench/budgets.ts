import type { BenchResults, SizeResult } from './benchResults'
import { summarize, type Summary } from './summarize'

/** A budget from DESIGN.md and whether this run met it (null: not measured in this run). */
export interface BudgetCheck {
  id: string
  limit: string
  measured: string
  pass: boolean | null
}

export const OPEN_RATIO_LIMIT = 1.5
export const RELAY_P99_LIMIT_MS = 100
/** The open budget is stated for a 100k-record workspace. */
export const OPEN_BUDGET_CONTACTS = 100_000

const median = (values: number[]) => summarize(values).median

/** Per repetition: open (rows shown) ÷ JSON.parse of the same rows in that page. */
export function openRatios(size: SizeResult, which: 'fresh' | 'stored'): Summary {
  return summarize(size.open.map((s) => s[which].shownMs / median(s.jsonParseMs)))
}

export function checkBudgets(results: BenchResults): BudgetCheck[] {
  const checks: BudgetCheck[] = []
  const big = results.sizes.find((s) => s.contacts === OPEN_BUDGET_CONTACTS && s.open.length > 0)
  for (const which of ['fresh', 'stored'] as const) {
    const ratio = big ? openRatios(big, which).median : NaN
    checks.push({
      id: `open-${which}-100k`,
      limit: `≤ ${OPEN_RATIO_LIMIT}× JSON.parse`,
      measured: big ? `${ratio.toFixed(1)}×` : 'not measured (100k only)',
      pass: big ? ratio <= OPEN_RATIO_LIMIT : null,
    })
  }
  const rounds = results.latency?.result?.rounds ?? []
  const p99 = summarize(rounds.map((r) => r.p99Ms)).median
  checks.push({
    id: 'relay-p99-20-clients',
    limit: `≤ ${RELAY_P99_LIMIT_MS} ms p99`,
    measured: rounds.length ? `${p99.toFixed(0)} ms` : 'not measured',
    pass: rounds.length ? p99 <= RELAY_P99_LIMIT_MS : null,
  })
  return checks
}
