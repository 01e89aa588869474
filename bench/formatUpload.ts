/** Formatting shared by the offline-import benches (measureOfflineImport, measureOfflineImportApp). */

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`

/** Seconds, or "never" for a wait that timed out (Infinity / NaN). */
export const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'never')

/** The values a status showed (pending counts, or its texts), the middle elided past 8. */
export function listSteps(steps: readonly (number | string)[]): string {
  return steps.length > 8 ? `${steps.slice(0, 4).join(', ')}, … (${steps.length} values) …, ${steps.slice(-2).join(', ')}` : steps.join(', ')
}
