import { createHmac, timingSafeEqual } from 'node:crypto'
import { MIN_FILL_MS } from '../../src/domain/forms/webForm'

/*
 * When Kanso served a form (hosted page, embed): `<ms since epoch>.<hex HMAC-SHA256 of
 * "<form id>.<ms>">`, in a hidden input. A post sooner than MIN_FILL_MS after it is a bot's.
 */

export function signServedAt(secret: Buffer, formId: string, servedAtMs: number): string {
  return `${servedAtMs}.${mac(secret, formId, servedAtMs)}`
}

function mac(secret: Buffer, formId: string, servedAtMs: number): string {
  return createHmac('sha256', secret).update(`${formId}.${servedAtMs}`).digest('hex')
}

/** Null when the token is good and old enough; else why the post is refused, for the person who sent it. */
export function servedAtProblem(secret: Buffer, formId: string, token: string, nowMs: number): string | null {
  const match = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(token)
  if (!match) return 'the form’s served-at token is damaged; reload the form and send it again'
  const servedAt = Number(match[1])
  const expected = Buffer.from(mac(secret, formId, servedAt), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) return 'the form’s served-at token is not from this form; reload the form and send it again'
  const elapsed = nowMs - servedAt
  if (elapsed < MIN_FILL_MS) return `sent ${Math.max(0, elapsed / 1000).toFixed(1)} s after the form was shown; forms sent in under ${MIN_FILL_MS / 1000} s look automated — wait a moment and send it again`
  return null
}
