import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'Kanso-Signature'

/** How old a signature a receiver should accept (the README's snippet uses the same). */
export const SIGNATURE_TOLERANCE_S = 300

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${mac}`
}

/**
 * What a receiver does (server/README.md shows it as a snippet): the HMAC of "t.body" with the
 * webhook's secret, compared in constant time, and a timestamp no older than the tolerance so a
 * captured request cannot be replayed later. `body` is the raw request body, before JSON.parse.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_S || typeof parts.v1 !== 'string') return false
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  const given = Buffer.from(parts.v1, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
