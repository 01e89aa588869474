// The relay's own work per client edit, without sockets or storage: a B9 edit (one record's field
// overwritten) through the rate gate, parse, decode, inspect and the layout check, in a tight loop,
// timed as this process's CPU time (steadier than wall time on a shared machine). For A/B runs of
// the per-message path, and the bytes it allocates; B9 measures the whole relay. Standalone: npx tsx bench/measureMessagePath.ts
import { Session } from 'node:inspector/promises'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'
import { addEntity } from '../src/crdt/schemaDoc'
import { silentLogger } from '../server/relayLogger'
import { decodeIncoming, inspectDecoded } from '../server/rooms/inspectUpdate'
import { LayoutGuard } from '../server/rooms/layout/layoutGuard'
import { SchemaFieldTypes } from '../server/rooms/layout/schemaFieldTypes'
import { parseClientMessage } from '../server/rooms/parseClientMessage'
import { RateLimiter } from '../server/rooms/rateLimiter'
import { createMemoryStorage } from '../server/storage/memoryStorage'

export interface MessagePathResult {
  /** CPU µs per edit: parse → decode → inspect → layout check; min and median of 10 runs. */
  check: { min: number; median: number }
  /** Bytes allocated per edit on that path (sampled, collected objects included): what makes scavenges often. */
  checkBytes: number
  /** CPU µs per message through a connection's rate gate (connection and member budgets). */
  gate: { min: number; median: number }
}

export async function measureMessagePath(edits = 200_000): Promise<MessagePathResult> {
  const storage = createMemoryStorage()
  const schema = new Y.Doc()
  addEntity(schema, { id: 'load-0', key: 'load_0', label: 'Load', singular: 'Load', primaryField: 'load-0.name', order: 0, fields: [{ id: 'load-0.name', key: 'name', label: 'Name', type: 'text', order: 0 }] }, 'bench')
  storage.appendUpdate('schema', Y.encodeStateAsUpdate(schema))
  const guard = new LayoutGuard({ kind: 'entity', entityId: 'load-0' }, new SchemaFieldTypes(storage, silentLogger))
  // a client's record, stored, then 200 overwrites of its field as `update` messages
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const record = new Y.Map<string>()
  doc.getMap('records').set('c0', record)
  const stored = updates.splice(0)
  for (let i = 0; i < 200; i++) record.set('load-0.name', `${i} ${performance.now()}`)
  guard.build(stored, Y.decodeStateVector(Y.encodeStateVector(doc)))
  const messages = updates.map((update) => {
    const message = new Uint8Array(3 + update.byteLength)
    message.set([0, 2, update.byteLength])
    message.set(update, 3)
    return message
  })
  const check = (message: Uint8Array) => {
    const parsed = parseClientMessage(message)
    if (parsed.type !== 'update') throw new Error('expected an update message')
    const decoded = decodeIncoming(parsed.update)
    inspectDecoded(decoded)
    if (!guard.check(decoded.structs).ok) throw new Error('a bench edit broke the layout')
  }
  const unlimited = { perSecond: 1e12, burst: 1e12 }
  const limiter = new RateLimiter({ connection: { messages: unlimited, bytes: unlimited }, member: { messages: unlimited, bytes: unlimited }, graceMs: 10_000, maxHeldMessages: 50_000 })
  let delivered = 0
  const gate = limiter.open<Uint8Array>({ pause() {}, resume() {} }, () => delivered++, () => {})
  gate.joinMember('bench')
  const time = (run: (message: Uint8Array) => void) => {
    for (let i = 0; i < 20_000; i++) run(messages[i % messages.length] as Uint8Array)
    const runs: number[] = []
    for (let r = 0; r < 10; r++) {
      const started = process.cpuUsage()
      for (let i = 0; i < edits / 10; i++) run(messages[i % messages.length] as Uint8Array)
      const used = process.cpuUsage(started)
      runs.push((used.user + used.system) / (edits / 10))
    }
    runs.sort((a, b) => a - b)
    return { min: runs[0] as number, median: runs[5] as number }
  }
  const allocated = async (run: (message: Uint8Array) => void, count: number) => {
    const session = new Session()
    session.connect()
    await session.post('HeapProfiler.enable')
    // (flags newer than @types/node's HeapProfiler typing)
    await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never)
    for (let i = 0; i < count; i++) run(messages[i % messages.length] as Uint8Array)
    const { profile } = await session.post('HeapProfiler.stopSampling')
    session.disconnect()
    const total = (node: { selfSize: number; children: unknown[] }): number => node.selfSize + node.children.reduce<number>((n, c) => n + total(c as typeof node), 0)
    return total(profile.head) / count
  }
  const result = { check: time(check), checkBytes: await allocated(check, 100_000), gate: time((message) => gate.push(message, message.byteLength)) }
  gate.close()
  return result
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await measureMessagePath()
  console.log(`per B9 edit, CPU time: parse → decode → inspect → layout check ${r.check.min.toFixed(2)} µs (median ${r.check.median.toFixed(2)}), ${r.checkBytes.toFixed(0)} bytes allocated; rate gate ${r.gate.min.toFixed(2)} µs (median ${r.gate.median.toFixed(2)})`)
}
