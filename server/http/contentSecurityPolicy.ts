import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Written by the build into dist/ (build/inlineBootScript.ts): the CSP hashes of index.html's inline scripts. */
export const INLINE_SCRIPT_HASHES_FILE = 'inline-script-hashes.json'

export interface InlineScriptHashes {
  /** Source expressions for script-src, e.g. `'sha256-…'`. */
  scriptSrc: string[]
}

export class InlineScriptHashesError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`)
    this.name = 'InlineScriptHashesError'
  }
}

const HASH_SOURCE = /^'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'$/

/**
 * The script hashes a build wrote into `distDir`; null when that build wrote none (built before
 * the boot script was inlined). Throws InlineScriptHashesError when the file is not as the build writes it.
 */
export function readInlineScriptHashes(distDir: string): InlineScriptHashes | null {
  const file = join(distDir, INLINE_SCRIPT_HASHES_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new InlineScriptHashesError(file, (error as Error).message)
  }
  let parsed: Partial<InlineScriptHashes> | null
  try {
    parsed = JSON.parse(text) as Partial<InlineScriptHashes> | null
  } catch (error) {
    throw new InlineScriptHashesError(file, (error as Error).message)
  }
  const scriptSrc = parsed?.scriptSrc
  if (!Array.isArray(scriptSrc) || !scriptSrc.every((h) => typeof h === 'string' && HASH_SOURCE.test(h))) {
    throw new InlineScriptHashesError(file, "expected { scriptSrc: [\"'sha256-…'\", …] }")
  }
  return { scriptSrc }
}

export interface PolicyOptions {
  /** Hashes of the inline scripts the page may run (the boot script). */
  scriptHashes: readonly string[]
  /** The relay's public URL: its ws(s) origin is where the app syncs. */
  publicUrl: string
  /** `--dev`: Vite serves the app with hot reload (see below). */
  dev: boolean
}

/**
 * The Content-Security-Policy the app and its workers run under (a worker loaded from a URL runs
 * under the policy of its own response, so every response carries it).
 * - scripts: our own files and the inline boot script by its hash; nothing inline else, no eval.
 * - styles: 'unsafe-inline', because AG Grid's theme API injects <style> elements (and sets
 *   styles from script). Scripts stay locked, and img-src/font-src/connect-src keep injected
 *   CSS from fetching anything off-origin.
 * - `--dev`: Vite injects modules' CSS and its client inline and reloads over a websocket, so
 *   scripts may be inline there and any ws(s) origin may be reached. Never use it in production.
 */
export function contentSecurityPolicy(options: PolicyOptions): string {
  // 'self' covers the page's own host's ws(s) in CSP 3 browsers; the public URL's, older ones too
  const syncOrigin = URL.canParse(options.publicUrl) ? new URL(options.publicUrl) : null
  if (syncOrigin) syncOrigin.protocol = syncOrigin.protocol === 'https:' ? 'wss:' : 'ws:'
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': options.dev ? ["'self'", "'unsafe-inline'"] : ["'self'", ...options.scriptHashes],
    // the boot worker, the workspace worker and the service worker: all same-origin files
    'worker-src': ["'self'"],
    'connect-src': options.dev ? ["'self'", 'ws:', 'wss:'] : ["'self'", ...(syncOrigin ? [syncOrigin.origin] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    // AG Grid's icons are data: URLs in its CSS
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ')
}
