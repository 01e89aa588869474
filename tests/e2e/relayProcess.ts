import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RelayProcess {
  url: string
  port: number
  adminToken: string
  dataDir: string
  child: ChildProcess
  /** Adds a member through the admin API; returns their token. */
  addMember(name: string, role: 'admin' | 'editor' | 'viewer'): Promise<string>
  /** Stops the relay; its data directory is removed unless `keepData` (to start it again on it). */
  stop(options?: { keepData?: boolean }): Promise<void>
}

export interface RelayProcessOptions {
  /** Default: a fresh temporary directory. */
  dataDir?: string
  /** Default 0 (a free port); the same port again keeps the browser's origin, and so its local copies. */
  port?: number
  adminToken?: string
}

/** Starts the real relay (`bin/kanso.js serve`) on a free port with a fresh SQLite data dir. */
export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kanso-e2e-'))
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url')
  const child = spawn(process.execPath, ['bin/kanso.js', 'serve', '--port', String(options.port ?? 0), '--data', dataDir], {
    env: { ...process.env, KANSO_ADMIN_TOKEN: adminToken, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // a relay still starting when the test gives up (its hook's timeout) goes with the test's process
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let log = ''
  // Waits for the relay to say it listens, or to exit, for as long as the hook may run: a fixed
  // 20 s here failed whole spec files at load ~25 on 2 cores (three in one run), where starting
  // took longer while the relay was fine.
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const m = /KANSO_LISTENING port=(\d+)/.exec(log)
      if (m) resolve(Number(m[1]))
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => { log += c.toString() })
    if (process.env.KANSO_E2E_RELAY_LOG) {
      child.stdout!.on('data', (c: Buffer) => process.stdout.write(`[relay] ${c}`))
      child.stderr!.on('data', (c: Buffer) => process.stdout.write(`[relay] ${c}`))
    }
    child.on('exit', (code) => reject(new Error(`relay exited with ${code}:\n${log}`)))
  })
  const url = `http://127.0.0.1:${port}`
  return {
    url, port, adminToken, dataDir, child,
    async addMember(name, role) {
      const res = await fetch(`${url}/api/members`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role }),
      })
      if (!res.ok) throw new Error(`adding member failed: ${res.status} ${await res.text()}`)
      return ((await res.json()) as { token: string }).token
    },
    async stop(stopOptions = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
