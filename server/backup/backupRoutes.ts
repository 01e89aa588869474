import { createReadStream, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Principal } from '../auth/authenticateToken'
import { problem } from '../api/problem'
import { requireRole } from '../api/requirePrincipal'
import { backupFileName, type TakenBackup } from './takeBackup'
import type { EntityStores } from '../api/entityStores'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { RelayStorage } from '../storage/relayStorage'
import { workspaceReportSettings } from '../../src/domain/reports/workspaceReportSettings'
import { writePlainExport } from './plainExport'
import { StoredZip } from './storedZip'

export const BACKUP_PATH = '/backup'
export const EPOCH_PATH = '/workspace/epoch'
export const EXPORT_PATH = '/export.zip'

export interface BackupRoutesContext {
  /** Writes a backup of the running relay's workspace to `target` (Relay.backup). */
  take(target: string): Promise<TakenBackup>
  /** The workspace's epoch (workspaceEpoch.ts). */
  epoch: string
  /** For the plain export: the stored schema and the entities' rows (the API's copies); absent: no /export.zip. */
  plain?: { storage: RelayStorage; stores: EntityStores }
}

export const isBackupPath = (path: string): boolean => path === BACKUP_PATH || path === EPOCH_PATH || path === EXPORT_PATH

/**
 * GET /api/v1/backup (admins): the whole workspace as one backup file (backupFormat.ts), written
 * to a temporary file off the event loop and streamed. GET /api/v1/workspace/epoch (any member):
 * `{ "epoch" }`, what a client sends as `?epoch=` when it syncs. GET /api/v1/export.zip (admins):
 * the plain export, one CSV per entity plus schema.json (plainExport.ts), values formatted for
 * `?locale=` (default en-US) in the workspace's time zone.
 */
export async function handleBackupRoutes(req: IncomingMessage, res: ServerResponse, path: string, principal: Principal, context: BackupRoutesContext): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw problem(405, `use GET on /api/v1${path}`, undefined, { Allow: 'GET, HEAD' })
  if (path === EPOCH_PATH) {
    const body = JSON.stringify({ epoch: context.epoch })
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : body)
    return
  }
  requireRole(principal, 'admin')
  if (path === EXPORT_PATH) return await sendPlainExport(req, res, context)
  const file = join(tmpdir(), `kanso-download-${randomUUID()}.sqlite`)
  const taken = await context.take(file)
  res.writeHead(200, {
    'Content-Type': 'application/vnd.sqlite3',
    'Content-Length': String(taken.bytes),
    'Content-Disposition': `attachment; filename="${backupFileName(new Date(taken.createdAt))}"`,
    'Cache-Control': 'no-store',
  })
  if (req.method === 'HEAD') {
    res.end()
    rmSync(file, { force: true })
    return
  }
  const stream = createReadStream(file)
  stream.pipe(res)
  await new Promise<void>((resolve) => res.once('close', resolve))
  stream.destroy()
  rmSync(file, { force: true })
}

async function sendPlainExport(req: IncomingMessage, res: ServerResponse, context: BackupRoutesContext): Promise<void> {
  if (!context.plain) throw problem(404, 'this relay has no plain export')
  const locale = new URL(req.url ?? '/', 'http://relay').searchParams.get('locale') ?? 'en-US'
  try {
    new Intl.NumberFormat(locale)
  } catch {
    throw problem(400, `unknown locale "${locale}"`, [{ field: 'locale', message: 'is not a BCP 47 language tag' }])
  }
  const schema = cachedStoredSchema(context.plain.storage)
  const members = context.plain.storage.listMembers().map((m) => ({ id: m.id, name: m.name }))
  const day = new Date().toISOString().slice(0, 10)
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="kanso-export-${day}.zip"`, 'Cache-Control': 'no-store' })
  if (req.method === 'HEAD') return void res.end()
  const zip = new StoredZip((chunk) => (res.write(chunk) ? undefined : new Promise<void>((resolve) => res.once('drain', resolve))))
  await writePlainExport(zip, schema, context.plain.stores, { locale, timeZone: workspaceReportSettings(schema).timeZone, members })
  await zip.finish()
  res.end()
}
