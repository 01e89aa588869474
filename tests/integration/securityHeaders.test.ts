import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INLINE_SCRIPT_HASHES_FILE } from '../../server/http/contentSecurityPolicy'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const { cleanups } = useTestScope()
const BOOT_HASH = "'sha256-pMcA9kKAlBdGmJgiHgevWEt3251X6Dp1g6W4O2rSQPk='"

/** A built app as the build leaves it: index.html, a hashed asset, the inline scripts' hashes. */
function builtApp(): string {
  const dist = makeTempDir('kanso-dist-')
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Kanso</title><div id="app"></div>')
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  writeFileSync(join(dist, INLINE_SCRIPT_HASHES_FILE), JSON.stringify({ scriptSrc: [BOOT_HASH] }))
  return dist
}

function expectSecurityHeaders(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(res.headers.get('x-frame-options'), what).toBe('DENY')
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer')
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp, what).toContain(`script-src 'self' ${BOOT_HASH};`)
  expect(csp, what).toContain("frame-ancestors 'none'")
  expect(csp, what).toContain("object-src 'none'")
  expect(csp, what).toContain("base-uri 'none'")
  expect(csp, what).toContain("worker-src 'self';")
  expect(csp, what).toContain("connect-src 'self' ws://relay.example:8443;")
  // the workspace's logo on quotes and invoices is a data: URL (issue 14); nothing else off-origin
  expect(csp, what).toContain("img-src 'self' data:;")
}

describe('security headers on every response', () => {
  it('the app, its assets, API answers, errors, 404s and /healthz all carry the CSP, nosniff, frame and referrer rules', async () => {
    const r = await startTestRelay({ distDir: builtApp(), publicUrl: 'http://relay.example:8443' })
    cleanups.push(() => r.close())
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` }
    const cases: Array<[string, string, RequestInit, number]> = [
      ['index.html', '/', { headers: { Accept: 'text/html' } }, 200],
      ['a client-side route', '/deals', { headers: { Accept: 'text/html' } }, 200],
      ['a deal\'s quote to issue', '/deals/d1/quote', { headers: { Accept: 'text/html' } }, 200],
      ['a deal\'s issued document', '/deals/d1/documents/AbC123xyz789', { headers: { Accept: 'text/html' } }, 200],
      ['an asset', '/assets/index-abc123.js', {}, 200],
      ['a missing asset', '/assets/gone.js', {}, 404],
      ['API JSON', '/api/me', { headers: auth }, 200],
      ['an API refusal', '/api/me', {}, 401],
      ['an unknown API route', '/api/nothing-here', { headers: auth }, 404],
      ['a plain request to /sync', '/sync/entity-contacts', {}, 426],
      ['/healthz', '/healthz', {}, 200],
      ['a wrong method on /healthz', '/healthz', { method: 'POST' }, 405],
    ]
    for (const [what, path, init, status] of cases) {
      const res = await fetch(`${r.url}${path}`, init)
      expect(res.status, what).toBe(status)
      expectSecurityHeaders(res, what)
      await res.arrayBuffer()
    }
    // a revalidated index.html keeps them too
    const first = await fetch(`${r.url}/`)
    await first.text()
    const again = await fetch(`${r.url}/`, { headers: { 'If-None-Match': first.headers.get('etag')! } })
    expect(again.status).toBe(304)
    expectSecurityHeaders(again, '304')
  })

  it('without the hashes file (an older build) the policy allows no inline script, and the relay says so', async () => {
    const dist = builtApp()
    writeFileSync(join(dist, INLINE_SCRIPT_HASHES_FILE), '')
    const broken = startTestRelay({ distDir: dist })
    await expect(broken).rejects.toThrow(INLINE_SCRIPT_HASHES_FILE)

    const older = makeTempDir('kanso-dist-')
    writeFileSync(join(older, 'index.html'), '<!doctype html><title>Kanso</title>')
    const r = await startTestRelay({ distDir: older })
    cleanups.push(() => r.close())
    expect(r.logger.lines.some((line) => line.startsWith('warn') && line.includes(INLINE_SCRIPT_HASHES_FILE))).toBe(true)
    const res = await fetch(`${r.url}/`)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';")
  })
})
