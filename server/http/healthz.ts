import type { ServerResponse } from 'node:http'
import type { RelayStorage } from '../storage/relayStorage'
import { sendJson } from './httpError'

/** 200 `{ ok: true }` after a real write to storage; 503 with the reason otherwise. */
export function healthz(res: ServerResponse, storage: RelayStorage): void {
  try {
    storage.checkWritable()
  } catch (error) {
    sendJson(res, 503, { ok: false, reason: `storage is not writable: ${(error as Error).message}` })
    return
  }
  sendJson(res, 200, { ok: true })
}
