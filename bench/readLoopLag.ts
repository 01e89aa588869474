import type { LoopLagSnapshot } from '../server/http/loopLagMonitor'

/** The bench relay's event-loop lag so far (GET /debug/loop-lag); `reset` starts a new window. */
export async function readLoopLag(url: string, reset: boolean): Promise<LoopLagSnapshot> {
  const response = await fetch(`${url}/debug/loop-lag${reset ? '?reset=1' : ''}`)
  if (!response.ok) throw new Error(`GET /debug/loop-lag: ${response.status}`)
  return (await response.json()) as LoopLagSnapshot
}
