import { describe, expect, it } from 'vitest'
import { CLOSE_NOT_FOUND, CLOSE_UNAUTHORIZED } from '../../server/closeCodes'
import { ADMIN_TOKEN, rawSocket, startTestRelay, useTestScope } from './relayTestKit'

const { cleanups } = useTestScope()

async function relay() {
  const r = await startTestRelay()
  cleanups.push(() => r.close())
  return r
}

/** Each logged message must stay one line with nothing a terminal would act on. */
function expectPlainLines(lines: string[]): void {
  const unsafe = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
  for (const line of lines) expect([...line].filter((char) => unsafe(char.charCodeAt(0))), line).toEqual([])
}

describe('what the relay logs of requests', () => {
  it('a document name cannot forge a log line or carry escape sequences into the log', async () => {
    const r = await relay()
    const forged = 'x%22%0aKanso%20relay%20listening%20on%20http%3A%2F%2Fevil%1b%5B2J'
    const anonymous = rawSocket(`${r.syncUrl}/${forged}`)
    expect((await anonymous.closed).code).toBe(CLOSE_UNAUTHORIZED)
    const member = rawSocket(`${r.syncUrl}/${forged}?token=${ADMIN_TOKEN}`)
    expect((await member.closed).code).toBe(CLOSE_NOT_FOUND)

    expectPlainLines(r.logger.lines)
    const refusals = r.logger.lines.filter((line) => line.includes('refused connection'))
    expect(refusals).toHaveLength(2)
    for (const line of refusals) expect(line).toContain('"x\\"\\nKanso relay listening on http://evil\\x1b[2J"')
  })

  it('malformed percent-encoding in a path is a 400 with a JSON error, and nothing is logged', async () => {
    const r = await relay()
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` }
    for (const path of ['/api/snapshots/%E0%A4%A?token=leaky-token', '/api/members/%E0%A4%A/revoke?token=leaky-token', '/%E0%A4%A']) {
      const res = await fetch(`${r.url}${path}`, { method: path.endsWith('revoke?token=leaky-token') ? 'POST' : 'GET', headers })
      expect(res.status, path).toBe(400)
      expect(await res.json()).toEqual({ error: { code: 'malformed_path', message: 'the path has malformed percent-encoding' } })
    }
    expect(r.logger.lines.filter((line) => line.includes('%E0%A4%A'))).toEqual([])

    const ws = rawSocket(`${r.syncUrl}/%E0%A4%A?token=${ADMIN_TOKEN}`)
    expect((await ws.closed).code).toBe(CLOSE_NOT_FOUND)
    expectPlainLines(r.logger.lines)
  })

  it('member names (a custom onAuthenticate may give any) are escaped where connections are described', async () => {
    const r = await startTestRelay({
      hooks: { onAuthenticate: () => ({ id: 'ext\n1', name: 'Eve\u001b[31m\nKanso relay listening\u202e', role: 'editor', createdAt: '2026-01-01T00:00:00.000Z' }) },
    })
    cleanups.push(() => r.close())
    const ws = rawSocket(`${r.syncUrl}/entity-contacts?token=any`)
    await ws.opened
    ws.socket.send(new Uint8Array([99])) // no such message type: logged with the connection's description
    await ws.closed
    const line = r.logger.lines.find((l) => l.includes('malformed message from'))
    expect(line).toContain('member ext\\n1 (Eve\\x1b[31m\\nKanso relay listening\\u202e) on "entity-contacts"')
    expectPlainLines(r.logger.lines)
  })

  it('a request that fails is logged by its path only, escaped: the query string (tokens) never reaches the log', async () => {
    const r = await relay()
    r.storage.close() // every lookup of a member now fails: a 500, logged
    const res = await fetch(`${r.url}/api/me?token=leaky-token&x=%0a%1b`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(500)
    const failure = r.logger.lines.find((line) => line.includes('failed'))
    expect(failure).toMatch(/^error GET "\/api\/me" failed: /)
    expect(r.logger.lines.join('\n')).not.toContain('leaky-token')
    expect(r.logger.lines.join('\n')).not.toContain(ADMIN_TOKEN)
  })
})
