import { spawn } from 'node:child_process'
import { PROJECT_ROOT } from '../server/config'

export interface RelayProcess {
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  /** ws://127.0.0.1:<port>/sync */
  syncUrl: string
  pid: number
  /** Everything the process printed so far. */
  log(): string
  /** SIGTERM, SIGKILL after 10 s. */
  stop(): Promise<void>
}

/**
 * Starts a websocket server entry (TypeScript, through tsx) in its own process, so the load
 * generator does not share its event loop, and waits for its `KANSO_LISTENING port=N` line.
 */
export async function startRelayProcess(entry: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RelayProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // A server must not outlive the bench, however the bench ends.
  const killOnExit = () => { child.kill('SIGKILL') }
  process.on('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 30 s:\n${output}`)), 30_000)
    const check = () => {
      const match = /KANSO_LISTENING port=(\d+)/.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolve(Number(match[1]))
    }
    child.stdout.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${entry} exited with ${code}:\n${output}`))
    })
  })
  const url = `http://127.0.0.1:${port}`
  return {
    port,
    url,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    pid: child.pid ?? 0,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
