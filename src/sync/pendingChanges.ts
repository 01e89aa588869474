/**
 * How many of this browser's changes the relay does not have yet, from two Yjs state vectors
 * (client id → clock). A clock unit is one inserted item, i.e. roughly one cell change.
 */
export function pendingChanges(local: Map<number, number>, server: Map<number, number>): number {
  let pending = 0
  for (const [client, clock] of local) pending += Math.max(0, clock - (server.get(client) ?? 0))
  return pending
}
