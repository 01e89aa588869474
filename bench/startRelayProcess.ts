import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../server/config'
import { RELAY_NODE_FLAGS } from '../server/relayNodeFlags'

export interface RelayProcess {
  port: number
  /** http://127.0.0.1:<port> */
  url: string
  /** ws://127.0.0.1:<port>/sync */
  syncUrl: string
  pid: number
  /** Everything the process printed so far. */
  log(): string
  /** Freezes the process (SIGSTOP): its connections stay open but it uses no CPU. */
  pause(): void
  /** Graceful stop (SIGTERM; the relay then writes its CPU profile if asked); SIGKILL after 10 s. */
  stop(): Promise<void>
  /** Immediate stop (SIGKILL), for relays whose state is thrown away anyway. */
  kill(): Promise<void>
}

export interface StartProcessOptions {
  env?: Record<string, string>
  nodeArgs?: string[]
  /** Also append everything the process prints to this file (e.g. with `--trace-gc-nvp` in KANSO_BENCH_RELAY_NODE_ARGS). */
  outputFile?: string
}

/**
 * Starts a websocket server entry (TypeScript, through tsx) in its own process, so the bench's
 * clients and load generators do not share its event loop, and waits for its
 * `KANSO_LISTENING port=N` line. The process never outlives the bench, however the bench ends.
 */
export async function startRelayProcess(entry: string, args: string[], opts: StartProcessOptions = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const killOnExit = () => { child.kill('SIGKILL') }
  process.on('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const outputFile = opts.outputFile
  if (outputFile) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => appendFileSync(outputFile, chunk))
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
  const exited = () => child.exitCode !== null || child.signalCode !== null
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    pid: child.pid ?? 0,
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

export interface BenchRelayOptions {
  /** Serve this build of the app (see buildApp); default: no app. */
  distDir?: string
  /** Write a CPU profile of the relay's whole run here when it is stopped gracefully. */
  cpuProfileFile?: string
  /** Environment of the relay process (e.g. KANSO_RATE_LIMIT_*). */
  env?: Record<string, string>
}

/** The real relay (bench/relayMain.ts: startRelay as `kanso serve` runs it) over `dataDir`. */
export function startBenchRelay(dataDir: string, opts: BenchRelayOptions = {}): Promise<RelayProcess> {
  const args = [dataDir, ...(opts.distDir ? ['--dist', opts.distDir] : []), ...(opts.cpuProfileFile ? ['--cpu-profile', opts.cpuProfileFile] : [])]
  // the relay's own flags (as `npm start` and `npx kanso serve` run it), then any A/B extras
  const nodeArgs = [...RELAY_NODE_FLAGS, ...(process.env.KANSO_BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
  return startRelayProcess(join(PROJECT_ROOT, 'bench/relayMain.ts'), args, { env: opts.env, nodeArgs, outputFile: process.env.KANSO_BENCH_RELAY_OUTPUT })
}
