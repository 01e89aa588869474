import { WebSocket } from 'ws'

/**
 * Opens a bare websocket to a document and closes it at the relay's first message (its sync
 * step 1): the relay then has the room loaded, as it has while a team works. Returns the ms
 * that took, i.e. the relay's cost of loading the document from storage.
 */
export async function warmRoom(syncUrl: string, docName: string, token: string, timeoutMs = 120_000): Promise<number> {
  const started = performance.now()
  const ws = new WebSocket(`${syncUrl}/${encodeURIComponent(docName)}?token=${encodeURIComponent(token)}`)
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not answer on "${docName}" within ${timeoutMs} ms`)), timeoutMs)
      ws.once('message', () => { clearTimeout(timer); resolve() })
      ws.once('close', (code, reason) => { clearTimeout(timer); reject(new Error(`relay closed "${docName}": ${code} ${reason.toString()}`)) })
      ws.once('error', (error) => { clearTimeout(timer); reject(error) })
    })
    return performance.now() - started
  } finally {
    ws.removeAllListeners('close')
    ws.close()
  }
}
