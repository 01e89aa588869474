import type { ServerResponse } from 'node:http'
import type { StorageHealth } from '../storage/storageHealth'
import { sendJson } from './httpError'

/**
 * 200 `{ ok: true }` when the relay's recent writes (or a probe in the writer's thread) went
 * into storage; 503 `{ ok: false, reason }` otherwise. Answers within about a second whatever
 * the database does (see StorageHealth).
 */
export async function healthz(res: ServerResponse, health: StorageHealth): Promise<void> {
  const report = await health.check()
  if (report.ok) sendJson(res, 200, { ok: true })
  else sendJson(res, 503, { ok: false, reason: report.reason })
}
