// Child-process entry: the reference y-websocket backend (@y/websocket-server 0.1.1, its
// setupWSConnection: one Y.Doc per room, no auth, no persistence) on the same `ws` 8 and URL
// scheme (ws://host/sync/<doc>) as our relay, with the same /debug/loop-lag hook.
// Run as: node --import tsx bench/referenceRelayMain.ts
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import { startLoopLagMonitor } from '../server/http/loopLagMonitor'
import { logGcPauses } from './logGcPauses'

const SYNC_PREFIX = '/sync/'
// KANSO_BENCH_REFERENCE_GC_LOG: its GC pauses, as KANSO_BENCH_GC_LOG gives ours
const gcLog = process.env.KANSO_BENCH_REFERENCE_GC_LOG
if (gcLog) logGcPauses(gcLog)
const loopLag = process.env.KANSO_DEBUG_LOOP_LAG === '1' ? startLoopLagMonitor() : null
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://reference.invalid')
  if (url.pathname === '/debug/loop-lag' && loopLag) {
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify(loopLag.snapshot()))
    if (url.searchParams.get('reset') === '1') loopLag.reset()
    return
  }
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  const pathname = new URL(request.url ?? '/', 'http://reference.invalid').pathname
  const docName = decodeURIComponent(pathname.startsWith(SYNC_PREFIX) ? pathname.slice(SYNC_PREFIX.length) : pathname.slice(1))
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request, { docName }))
})
server.listen(0, '127.0.0.1', () => {
  console.log(`KANSO_LISTENING port=${(server.address() as AddressInfo).port}`)
})
const stop = () => {
  for (const ws of wss.clients) ws.terminate()
  server.close(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
