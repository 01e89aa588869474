import { createReadStream, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Principal } from '../auth/authenticateToken'
import { problem } from '../api/problem'
import { requireRole } from '../api/requirePrincipal'
import { backupFileName, type TakenBackup } from './takeBackup'

export const BACKUP_PATH = '/backup'
export const EPOCH_PATH = '/workspace/epoch'

export interface BackupRoutesContext {
  /** Writes a backup of the running relay's workspace to `target` (Relay.backup). */
  take(target: string): Promise<TakenBackup>
  /** The workspace's epoch (workspaceEpoch.ts). */
  epoch: string
}

export const isBackupPath = (path: string): boolean => path === BACKUP_PATH || path === EPOCH_PATH

/**
 * GET /api/v1/backup (admins): the whole workspace as one backup file (backupFormat.ts), written
 * to a temporary file off the event loop and streamed. GET /api/v1/workspace/epoch (any member):
 * `{ "epoch" }`, what a client sends as `?epoch=` when it syncs.
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
