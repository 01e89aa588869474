/**
 * The time an edit is recorded at: the writer's stamp (its clock when it made the edit, also
 * offline), but never later than the relay's clock when the edit arrived, so a device whose clock
 * runs ahead cannot date its edits into the future. No stamp (a stock client) or an unreadable
 * one: the arrival time.
 */
export function boundEditTime(stamp: string | undefined, arrivedAt: number): string {
  const t = stamp === undefined ? Number.NaN : Date.parse(stamp)
  return new Date(Number.isFinite(t) && t <= arrivedAt ? t : arrivedAt).toISOString()
}
