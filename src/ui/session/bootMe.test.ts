import { afterEach, describe, expect, it } from 'vitest'
import { takeBootMe } from './bootMe'
import { RelayApiError } from './relayApi'

const scope = globalThis as { __kansoBootMe?: { token: string; response: Promise<Response> } }
const answer = (status: number, body: unknown) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))

afterEach(() => { delete scope.__kansoBootMe })

describe('takeBootMe (the /api/me index.html asked on a first visit)', () => {
  it('is the member the relay named for that token, taken once', async () => {
    scope.__kansoBootMe = { token: 'tok-a', response: answer(200, { id: 'm1', name: 'Ana', role: 'editor' }) }
    await expect(takeBootMe('tok-a')).resolves.toEqual({ id: 'm1', name: 'Ana', role: 'editor' })
    expect(takeBootMe('tok-a')).toBeNull()
  })

  it('is null when index.html did not ask, or asked for another token', () => {
    expect(takeBootMe('tok-a')).toBeNull()
    scope.__kansoBootMe = { token: 'tok-b', response: answer(200, { id: 'm2', name: 'Ben', role: 'admin' }) }
    expect(takeBootMe('tok-a')).toBeNull()
    expect(scope.__kansoBootMe).toBeUndefined()
  })

  it('rejects a refused token with the status and the relay\'s message, as the API client does', async () => {
    scope.__kansoBootMe = { token: 'tok-a', response: answer(401, { error: { code: 'unauthorized', message: 'Unknown or revoked token' } }) }
    const refused = await takeBootMe('tok-a')!.then(() => null, (e: unknown) => e)
    expect(refused).toBeInstanceOf(RelayApiError)
    expect((refused as RelayApiError).status).toBe(401)
    expect((refused as RelayApiError).message).toBe('Unknown or revoked token')
  })

  it('passes a network failure on', async () => {
    scope.__kansoBootMe = { token: 'tok-a', response: Promise.reject(new TypeError('Failed to fetch')) }
    await expect(takeBootMe('tok-a')).rejects.toThrow('Failed to fetch')
  })
})
