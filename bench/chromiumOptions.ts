import { execFileSync } from 'node:child_process'

/** The system Chromium (browsers cannot be downloaded here). */
export const CHROMIUM_PATH = process.env.KANSO_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export const VIEWPORT = { width: 1280, height: 800 }

/** "Chromium 156.0.8078.108", or what the binary printed when it does not match. */
export function chromiumVersion(): string {
  let out: string
  try {
    out = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    return `unknown (${CHROMIUM_PATH}: ${(error as Error).message.split('\n')[0]})`
  }
  return /(Chrom(e|ium)[^\n]*?\d+(\.\d+)+)/.exec(out)?.[1] ?? out.trim().split('\n').pop() ?? 'unknown'
}
