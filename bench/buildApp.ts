import { spawn } from 'node:child_process'
import { PROJECT_ROOT } from '../server/config'

/**
 * Builds the app as it is in the work tree into `outDir` (not dist/, which other tasks use),
 * so the bench always measures the current code.
 */
export async function buildApp(outDir: string): Promise<void> {
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`vite build failed (exit ${code}):\n${output}`)
}
