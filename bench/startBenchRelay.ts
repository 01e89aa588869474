import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../server/config'

export interface BenchRelay {
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  /** ws://127.0.0.1:<port>/sync */
  syncUrl: string
  /** Everything the relay printed so far. */
  log(): string
  /** Freezes the process (SIGSTOP): its connections stay open but it uses no CPU. */
  pause(): void
  /** Graceful stop (SIGTERM, which also writes the CPU profile); SIGKILL after 10 s. */
  stop(): Promise<void>
  /** Immediate stop (SIGKILL), for relays whose state is thrown away anyway. */
  kill(): Promise<void>
}

/**
 * Starts the relay in its own process (so the bench's clients do not share its event loop),
 * on a free port, over the data directory the bench seeded, serving `distDir`. With
 * `cpuProfileFile`, the relay writes a CPU profile of its whole run there when stopped.
 */
export async function startBenchRelay(dataDir: string, distDir: string, cpuProfileFile?: string): Promise<BenchRelay> {
  const args = ['--import', 'tsx', join(PROJECT_ROOT, 'bench/relayMain.ts'), dataDir, distDir, ...(cpuProfileFile ? [cpuProfileFile] : [])]
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // A relay left frozen (pause) or running must not outlive the bench, however it ends.
  const killOnExit = () => { child.kill('SIGKILL') }
  process.on('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start within 30 s:\n${output}`)), 30_000)
    const check = () => {
      const match = /KANSO_LISTENING port=(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        child.stdout.off('data', check)
        resolve(Number(match[1]))
      }
    }
    child.stdout.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code}:\n${output}`))
    })
  })
  const url = `http://127.0.0.1:${port}`
  const exited = () => child.exitCode !== null || child.signalCode !== null
  return {
    port,
    url,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    log: () => output,
    pause: () => { child.kill('SIGSTOP') },
    async stop() {
      if (exited()) return
      const exit = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(timer)
    },
    async kill() {
      if (exited()) return
      const exit = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exit
    },
  }
}
