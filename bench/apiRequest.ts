import { Agent, request } from 'node:http'

/** Kept-alive connections, as an integration would hold them (a new TCP connection per request would be measured too). */
const agent = new Agent({ keepAlive: true, maxSockets: 256 })

export interface ApiAnswer {
  status: number
  body: string
  ms: number
  /** Seconds a 429 asks to wait before sending again (its Retry-After), when it names them. */
  retryAfterS?: number
}

/** One /api/v1 request with a bearer token; `ms` from sending to the whole answer read. */
export function apiRequest(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/api/v1${path}`, {
      method,
      agent,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const retryAfter = Number(res.headers['retry-after'])
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}) })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}
