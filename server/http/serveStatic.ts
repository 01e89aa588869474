import { createReadStream, type Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
}

/** Content hashes in their names: safe to cache for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Everything else (index.html, sw.js, the manifest, icons) is revalidated on every load. */
const REVALIDATE = 'no-cache'

export const NOT_BUILT_HINT = 'The Kanso app is not built yet: run `npm run build` (or `npm start`, which builds and serves), then reload.'

export type StaticHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>

async function fileStats(path: string): Promise<Stats | null> {
  try {
    const stats = await stat(path)
    return stats.isFile() ? stats : null
  } catch {
    return null
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers })
  res.end(text)
}

/**
 * Serves the built app from `distDir`. Paths that do not name a file fall back to index.html
 * (client-side routes); hashed files under /assets/ are cached for a year.
 */
export function createStaticHandler(distDir: string): StaticHandler {
  const root = resolve(distDir)
  const indexFile = join(root, 'index.html')

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' })
      return
    }
    let relative: string
    try {
      relative = decodeURIComponent(pathname)
    } catch {
      sendText(res, 400, 'Bad path')
      return
    }
    if (relative.includes('\0')) {
      sendText(res, 400, 'Bad path')
      return
    }
    const candidate = resolve(root, `.${relative}`)
    const inside = candidate === root || candidate.startsWith(root + sep)
    let file = inside && !relative.endsWith('/') ? candidate : null
    let stats = file ? await fileStats(file) : null
    if (!stats) {
      const looksLikeFile = extname(relative) !== '' && !(req.headers.accept ?? '').includes('text/html')
      if (looksLikeFile || relative.startsWith('/assets/')) {
        sendText(res, 404, 'Not found')
        return
      }
      file = indexFile
      stats = await fileStats(indexFile)
      if (!stats) {
        sendText(res, 503, NOT_BUILT_HINT)
        return
      }
    }
    if (!file) return
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
    const headers: Record<string, string> = {
      'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': relative.startsWith('/assets/') && file !== indexFile ? IMMUTABLE : REVALIDATE,
      'Last-Modified': stats.mtime.toUTCString(),
      ETag: etag,
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers)
      res.end()
      return
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(stats.size) })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    await pipeline(createReadStream(file), res)
  }
}
