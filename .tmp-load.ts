import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay } from '/work/main/server/startRelay.ts'
import { createSqliteStorage } from '/work/main/server/storage/sqliteStorage.ts'
import { silentLogger } from '/work/main/server/relayLogger.ts'

const N = Number(process.argv[2] ?? 20000)
const dir = mkdtempSync(join(tmpdir(), 'kload-'))
const doc = new Y.Doc()
doc.transact(() => { for (let i = 0; i < N; i++) { const m = new Y.Map(); doc.getMap('records').set('r' + i, m); for (let f = 0; f < 12; f++) m.set('f' + f, 'value ' + i + ' ' + f) } })
const s = createSqliteStorage(join(dir, 'kanso.sqlite'))
s.appendUpdate('entity-big', Y.encodeStateAsUpdate(doc)); s.close()
const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir: dir, adminToken: 'x'.repeat(20), distDir: null, logger: silentLogger })
for (const label of ['cold', 'warm', 'up-to-date client']) {
  const d = label === 'up-to-date client' ? doc : new Y.Doc()
  const t = performance.now()
  const p = new WebsocketProvider(relay.syncUrl, 'entity-big', d, { WebSocketPolyfill: WebSocket as any, disableBc: true, params: { token: 'x'.repeat(20) } })
  await new Promise((r) => p.once('sync', r))
  console.log(label, (performance.now() - t).toFixed(0), 'ms', d.getMap('records').size)
  p.destroy()
}
await relay.close()
