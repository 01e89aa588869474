import type { Summary } from './summarize'

/** "median (min–max)" with `digits` decimals; "—" when there is nothing. */
export function formatSummary(s: Summary, digits = 1, suffix = ''): string {
  if (s.n === 0 || !Number.isFinite(s.median)) return '—'
  const f = (v: number) => v.toFixed(digits)
  return s.n === 1 ? `${f(s.median)}${suffix}` : `${f(s.median)}${suffix} (${f(s.min)}–${f(s.max)})`
}

/** A plain text table: the first row is the header, columns padded to their widest cell. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? []
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  const rule = '-'.repeat(widths.reduce((n, w) => n + w + 2, 0))
  return [line(rows[0] ?? []), rule, ...rows.slice(1).map(line), rule].join('\n')
}
