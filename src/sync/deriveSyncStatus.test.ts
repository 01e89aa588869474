import { describe, expect, it } from 'vitest'
import { deriveSyncStatus, type SyncFacts } from './deriveSyncStatus'

const me = 7
const base: SyncFacts = {
  loaded: true, wantOnline: true, socket: 'open', synced: true,
  local: new Map([[me, 10], [99, 50]]), serverVector: new Map([[me, 10], [99, 40]]), ownClients: new Set([me]),
}

describe('deriveSyncStatus', () => {
  it('is synced when the relay holds every change of this browser (a teammate ahead does not count)', () => {
    expect(deriveSyncStatus(base)).toEqual({ state: 'synced', pending: 0 })
  })

  it('counts this browser\'s changes the relay has not acknowledged', () => {
    expect(deriveSyncStatus({ ...base, local: new Map([[me, 13]]) })).toEqual({ state: 'syncing', pending: 3 })
  })

  it('treats everything local as unconfirmed before the relay ever answered', () => {
    expect(deriveSyncStatus({ ...base, serverVector: null })).toEqual({ state: 'syncing', pending: 10 })
  })

  it('reports loading, connecting and offline', () => {
    expect(deriveSyncStatus({ ...base, loaded: false }).state).toBe('connecting')
    expect(deriveSyncStatus({ ...base, loaded: false, wantOnline: false }).state).toBe('offline')
    expect(deriveSyncStatus({ ...base, socket: 'connecting' }).state).toBe('connecting')
    expect(deriveSyncStatus({ ...base, socket: 'closed' }).state).toBe('offline')
    expect(deriveSyncStatus({ ...base, wantOnline: false, socket: 'open' }).state).toBe('offline')
    expect(deriveSyncStatus({ ...base, synced: false }).state).toBe('syncing')
  })
})
