import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RowsJsonServer {
  /** The rows as JSON (CORS open, so the app page can fetch it too). */
  rowsUrl: string
  /** An empty HTML page on the same origin, for measuring the rows' heap without the app. */
  blankUrl: string
  close(): Promise<void>
}

/** Serves the generated rows as a JSON file, so pages can time JSON.parse of the very same rows. */
export async function serveRowsJson(json: string): Promise<RowsJsonServer> {
  const body = Buffer.from(json)
  const server = createServer((req, res) => {
    if (req.url === '/rows.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength, 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
      res.end(body)
    } else if (req.url === '/blank.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end('<!doctype html><title>bench</title>')
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    rowsUrl: `${base}/rows.json`,
    blankUrl: `${base}/blank.html`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
