import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './webhookSignature'

describe('webhook signatures', () => {
  const body = '{"event":"record.created"}'

  it('signs "t.body" with HMAC-SHA256 in hex, as the header documents', () => {
    const mac = createHmac('sha256', 'whsec_x').update(`1700000000.${body}`).digest('hex')
    expect(signWebhook('whsec_x', body, 1700000000)).toBe(`t=1700000000,v1=${mac}`)
  })

  it('verifies its own signature and refuses another secret, another body, an old or a garbled header', () => {
    const header = signWebhook('whsec_x', body, 1700000000)
    expect(verifyWebhookSignature('whsec_x', body, header, 1700000010)).toBe(true)
    expect(verifyWebhookSignature('whsec_y', body, header, 1700000010)).toBe(false)
    expect(verifyWebhookSignature('whsec_x', `${body} `, header, 1700000010)).toBe(false)
    expect(verifyWebhookSignature('whsec_x', body, header, 1700000000 + 301)).toBe(false)
    expect(verifyWebhookSignature('whsec_x', body, 'v1=abc', 1700000000)).toBe(false)
    expect(verifyWebhookSignature('whsec_x', body, undefined, 1700000000)).toBe(false)
  })
})
