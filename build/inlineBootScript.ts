import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'vite'
import { INLINE_SCRIPT_HASHES_FILE, type InlineScriptHashes } from '../server/http/contentSecurityPolicy'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BOOT_SCRIPT = fileURLToPath(new URL('../src/boot/bootScript.ts', import.meta.url))
const BOOT_WORKER = fileURLToPath(new URL('../src/boot/bootWorker.ts', import.meta.url))
/** Where index.html wants the boot script. */
const MARKER = '<!-- kanso:boot-script -->'

/** The CSP source expression of a script's text: `'sha256-<base64>'` of its UTF-8 bytes. */
export function cspHashOf(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`
}

/** One browser script (ES2022, minified, no imports left) from a TypeScript entry. */
async function bundleScript(entry: string, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    root: ROOT,
    configFile: false,
    envFile: false,
    publicDir: false,
    logLevel: 'warn',
    define,
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      modulePreload: false,
      rollupOptions: { input: entry, output: { format: 'iife' } },
    },
  })
  const outputs = Array.isArray(result) ? result : [result]
  for (const out of outputs) {
    if (!('output' in out)) continue
    const chunk = out.output.find((o) => o.type === 'chunk' && o.isEntry)
    if (chunk && chunk.type === 'chunk') return chunk.code.trim()
  }
  throw new Error(`bundling ${entry} produced no script`)
}

interface BootBundle {
  /** Path of the boot worker under the app's root, e.g. `assets/bootWorker-1a2b3c4d.js`. */
  workerFile: string
  workerCode: string
  scriptCode: string
}

async function bundleBoot(base: string): Promise<BootBundle> {
  const workerCode = await bundleScript(BOOT_WORKER)
  const workerFile = `assets/bootWorker-${createHash('sha256').update(workerCode).digest('hex').slice(0, 8)}.js`
  const scriptCode = await bundleScript(BOOT_SCRIPT, { KANSO_BOOT_WORKER_URL: JSON.stringify(`${base}${workerFile}`) })
  // the HTML parser would end the inline script there
  if (/<\/script|<!--/i.test(scriptCode)) throw new Error('the bundled boot script contains "</script" or "<!--": it cannot be inlined')
  return { workerFile, workerCode, scriptCode }
}

/**
 * Inlines src/boot/bootScript.ts into index.html at `<!-- kanso:boot-script -->`, so it runs
 * during HTML parsing, before the app's bundle loads; emits its worker (src/boot/bootWorker.ts)
 * as a same-origin file; and writes the script's sha256 to dist/inline-script-hashes.json, which
 * the relay puts into its Content-Security-Policy. In dev the worker is served from memory.
 */
export function inlineBootScript(): Plugin {
  let base = '/'
  let boot: Promise<BootBundle> | null = null
  let dev = false
  // in dev each page load bundles afresh, so edits to src/boot/ show on reload
  const current = () => (dev || !boot ? (boot = bundleBoot(base)) : boot)

  return {
    name: 'kanso-inline-boot-script',
    configResolved(config) {
      base = config.base
      dev = config.command === 'serve'
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!boot || !req.url?.startsWith(`${base}assets/bootWorker-`)) return next()
        boot.then(
          (b) => {
            if (req.url !== `${base}${b.workerFile}`) return next()
            res.setHeader('Content-Type', 'text/javascript; charset=utf-8')
            res.setHeader('Cache-Control', 'no-cache')
            res.end(b.workerCode)
          },
          (error: unknown) => next(error),
        )
      })
    },
    transformIndexHtml: {
      order: 'pre',
      async handler(html) {
        if (!html.includes(MARKER)) throw new Error(`index.html has no ${MARKER} for the boot script`)
        const { scriptCode } = await current()
        return html.replace(MARKER, () => `<script>${scriptCode}</script>`)
      },
    },
    generateBundle: {
      // after Vite's HTML plugin has emitted index.html
      order: 'post',
      async handler(_options, bundle) {
      const { workerFile, workerCode, scriptCode } = await current()
      const index = bundle['index.html']
      const html = index?.type === 'asset' ? String(index.source) : ''
      // the hash holds only if the page carries the script byte for byte
      if (!html.includes(`<script>${scriptCode}</script>`)) throw new Error('the built index.html does not carry the boot script as it was bundled')
      this.emitFile({ type: 'asset', fileName: workerFile, source: workerCode })
      const hashes: InlineScriptHashes = { scriptSrc: [cspHashOf(scriptCode)] }
      this.emitFile({ type: 'asset', fileName: INLINE_SCRIPT_HASHES_FILE, source: `${JSON.stringify(hashes, null, 2)}\n` })
      },
    },
  }
}
