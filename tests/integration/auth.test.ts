import { describe, expect, it } from 'vitest'
import { createMember } from '../../server/auth/createMember'
import { runCli } from '../../server/runCli'
import { CLOSE_NOT_FOUND, CLOSE_UNAUTHORIZED } from '../../server/closeCodes'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { ADMIN_TOKEN, makeTempDir, rawSocket, sleep, startTestRelay, waitFor, useTestScope } from './relayTestKit'

const { cleanups, client } = useTestScope()

async function relay(options: Parameters<typeof startTestRelay>[0] = {}) {
  const r = await startTestRelay(options)
  cleanups.push(() => r.close())
  return r
}

describe('websocket auth', () => {
  it('closes a connection without a token with 4401 right after the upgrade', async () => {
    const r = await relay()
    const raw = rawSocket(`${r.syncUrl}/schema`)
    await raw.opened
    expect(await raw.closed).toEqual({ code: CLOSE_UNAUTHORIZED, reason: 'unauthorized' })
  })

  it('closes a connection with an unknown token with 4401', async () => {
    const r = await relay()
    const raw = rawSocket(`${r.syncUrl}/schema?token=nope`)
    await raw.opened
    expect((await raw.closed).code).toBe(CLOSE_UNAUTHORIZED)
    expect(raw.messages).toHaveLength(0)
  })

  it('closes an invalid document name with 4404', async () => {
    const r = await relay()
    for (const name of ['bad%20name', 'a'.repeat(129), '..%2Fetc', '']) {
      const raw = rawSocket(`${r.syncUrl}/${name}?token=${ADMIN_TOKEN}`)
      expect((await raw.closed).code, name).toBe(CLOSE_NOT_FOUND)
    }
  })

  it('answers a non-/sync upgrade with HTTP 404', async () => {
    const r = await relay()
    const raw = rawSocket(`${r.url.replace('http', 'ws')}/elsewhere`)
    await expect(raw.opened).rejects.toThrow(/404/)
  })

  it('the y-websocket client stops reconnecting after 4401', async () => {
    const r = await relay()
    const c = client(r.syncUrl, 'schema', 'wrong-token')
    const statuses: string[] = []
    c.provider.on('status', ({ status }: { status: string }) => statuses.push(status))
    const closed = await new Promise<{ code: number }>((resolve) => c.provider.once('closed', resolve))
    expect(closed.code).toBe(CLOSE_UNAUTHORIZED)
    const attempts = statuses.length
    await sleep(600) // maxBackoffTime is 200 ms in tests: a retrying client would have tried again
    expect(statuses.length).toBe(attempts)
    expect(c.provider.shouldConnect).toBe(false)
    expect(r.sync.connectionCount()).toBe(0)
  })

  it('revoking a member through the API closes their open connection with 4401', async () => {
    const r = await relay()
    const { member, token } = createMember(r.storage, { name: 'Eve', role: 'editor' })
    const raw = rawSocket(`${r.syncUrl}/entity-contacts?token=${token}`)
    await raw.opened
    await waitFor(() => raw.messages.length > 0, 'greeting')
    const response = await fetch(`${r.url}/api/members/${member.id}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(response.status).toBe(200)
    expect((await raw.closed).code).toBe(CLOSE_UNAUTHORIZED)
    // and the token no longer opens anything
    const again = rawSocket(`${r.syncUrl}/entity-contacts?token=${token}`)
    expect((await again.closed).code).toBe(CLOSE_UNAUTHORIZED)
  })

  it('revoking in storage from another process (the CLI path) closes the connection within a second', async () => {
    const dataDir = makeTempDir()
    const r = await relay({ dataDir })
    const { member, token } = createMember(r.storage, { name: 'Mallory', role: 'viewer' })
    const raw = rawSocket(`${r.syncUrl}/schema?token=${token}`)
    await raw.opened
    const other = createSqliteStorage(r.dataFile as string) // a second connection, like the CLI's
    other.revokeMember(member.id, new Date().toISOString())
    other.close()
    const started = Date.now()
    expect((await raw.closed).code).toBe(CLOSE_UNAUTHORIZED)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('`kanso member revoke` on the data directory closes the member’s connection', async () => {
    const dataDir = makeTempDir()
    const r = await relay({ dataDir })
    const { token } = createMember(r.storage, { name: 'Trent', role: 'editor' })
    const c = client(r.syncUrl, 'entity-deals', token)
    await c.synced
    const closed = new Promise<{ code: number }>((resolve) => c.provider.once('closed', resolve))
    const out: string[] = []
    const status = await runCli(['member', 'revoke', 'trent', '--data', dataDir], { env: {}, out: (l) => out.push(l), err: (l) => out.push(l) })
    expect(status).toBe(0)
    expect(out.join('\n')).toMatch(/Revoked editor "Trent"/)
    expect((await closed).code).toBe(CLOSE_UNAUTHORIZED)
  })
})
