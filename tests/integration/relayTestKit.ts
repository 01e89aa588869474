import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import WebSocket from 'ws'
import type { RelayLogger } from '../../server/relayLogger'
import { addEntity, seedDefaultSchema } from '../../src/crdt/schemaDoc'
import type { EntityDef } from '../../src/domain/schema'
import { startRelay, type Relay, type StartRelayOptions } from '../../server/startRelay'
import { afterAll, afterEach } from 'vitest'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

const tempDirs: string[] = []

export function makeTempDir(prefix = 'kanso-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Keeps log lines for assertions instead of printing them. */
export function collectingLogger(): RelayLogger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  }
}

/** A real relay on a free port with SQLite in a temp dir (or `dataDir`). */
export async function startTestRelay(options: StartRelayOptions = {}): Promise<Relay & { logger: ReturnType<typeof collectingLogger> }> {
  const logger = collectingLogger()
  const relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    dataDir: options.storage ? undefined : (options.dataDir ?? makeTempDir()),
    adminToken: ADMIN_TOKEN,
    distDir: null,
    logger,
    ...options,
    sync: { ackDelayMs: 20, ...options.sync },
  })
  return Object.assign(relay, { logger })
}

/** An entity with one text field, `<id>.name`: its document `entity-<id>` may be opened once it is in the schema. */
export function testEntity(id: string): EntityDef {
  return { id, key: id, label: id, singular: id, primaryField: `${id}.name`, order: 100, fields: [{ id: `${id}.name`, key: 'name', label: 'Name', type: 'text', order: 0 }] }
}

/** A `seedSchema` for startTestRelay: the default workspace plus test entities with these ids. */
export function seedWithEntities(...ids: string[]): (doc: Y.Doc) => void {
  return (doc) => {
    seedDefaultSchema(doc)
    for (const id of ids) addEntity(doc, testEntity(id), 'seed')
  }
}

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves once the first sync step 2 arrived. */
  synced: Promise<void>
  destroy(): void
}

/** The real y-websocket client, as the browser uses it. */
/** A stock y-websocket client; `acks` asks the relay for acknowledgements (`?acks=1`, as the app does). */
export function connectClient(syncUrl: string, documentName: string, token: string, doc = new Y.Doc(), options: { acks?: boolean } = {}): TestClient {
  const provider = new WebsocketProvider(syncUrl, documentName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.acks ? { token, acks: '1' } : { token },
    maxBackoffTime: 200,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', (state: boolean) => state && resolve())
  })
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface RawSocket {
  socket: WebSocket
  messages: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
}

/** A bare `ws` connection, to send hand-made bytes and read close codes. */
export function rawSocket(url: string): RawSocket {
  const socket = new WebSocket(url)
  const messages: Uint8Array[] = []
  socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  socket.on('error', () => {})
  return { socket, messages, opened, closed }
}

/** Starts `kanso serve` as a child process on port 0 and waits for its KANSO_LISTENING line. */
export async function spawnRelay(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/kanso.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, KANSO_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const port = await new Promise<number>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 15_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /KANSO_LISTENING port=(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolvePromise(Number(match[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code}:\n${output}`))
    })
  })
  return { child, port, output: () => output }
}

/**
 * Per-test cleanup for a test file: registers the vitest hooks that run `cleanups` after each
 * test (newest first) and remove temp dirs after the file; `client` connects and schedules its
 * destroy.
 */
export function useTestScope(): { cleanups: Array<() => unknown>; client: (...args: Parameters<typeof connectClient>) => TestClient } {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  afterAll(removeTempDirs)
  const client = (...args: Parameters<typeof connectClient>): TestClient => {
    const c = connectClient(...args)
    cleanups.push(() => c.destroy())
    return c
  }
  return { cleanups, client }
}

/**
 * Writes `value` as the one field (`v`) of record `recordId`, creating the record map when
 * needed: entity documents hold a Y.Map per record (the relay refuses anything else, 4422).
 */
export function setCell(doc: Y.Doc, recordId: string, value: unknown): void {
  const records = doc.getMap<Y.Map<unknown>>('records')
  doc.transact(() => {
    let record = records.get(recordId)
    if (!(record instanceof Y.Map)) records.set(recordId, (record = new Y.Map()))
    record.set('v', value)
  })
}

/** The value setCell wrote. */
export function cell(doc: Y.Doc, recordId: string): unknown {
  return doc.getMap<Y.Map<unknown>>('records').get(recordId)?.get('v')
}

/** One /api/v1 request as the admin (or `token`), its JSON answer parsed (null when empty). */
export async function api(url: string, path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...init.headers }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}
