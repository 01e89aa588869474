import { describe, expect, it } from 'vitest'
import { memberColor } from '../../src/domain/memberColor'
import { MalformedMessageError } from './malformedMessageError'
import { MAX_AWARENESS_STATE_BYTES } from './parseClientMessage'
import { stampPresenceUser } from './stampPresenceUser'

const eve = { id: 'mem-eve', name: 'Eve' }
const user = { id: 'mem-eve', name: 'Eve', color: memberColor('mem-eve') }

describe('stampPresenceUser', () => {
  it('replaces the claimed user with the member and keeps the rest', () => {
    const state = JSON.stringify({ user: { id: 'mem-admin', name: 'Admin', color: 'url(http://evil/)' }, view: 'contacts', cell: null })
    const stamped = stampPresenceUser({ clientId: 9, clock: 3, state }, eve)
    expect(stamped.clientId).toBe(9)
    expect(stamped.clock).toBe(3)
    expect(JSON.parse(stamped.state)).toEqual({ user, view: 'contacts', cell: null })
  })

  it('adds the user to a state without one; a null state (gone) stays null', () => {
    expect(JSON.parse(stampPresenceUser({ clientId: 1, clock: 1, state: '{}' }, eve).state)).toEqual({ user })
    expect(stampPresenceUser({ clientId: 1, clock: 2, state: 'null' }, eve).state).toBe('null')
  })

  it('refuses a state that is not a JSON object, or that is too big once stamped', () => {
    for (const state of ['{nope', '"Admin"', '[1]', '5', 'true']) {
      expect(() => stampPresenceUser({ clientId: 1, clock: 1, state }, eve)).toThrow(MalformedMessageError)
    }
    const nearLimit = JSON.stringify({ pad: 'x'.repeat(MAX_AWARENESS_STATE_BYTES - 20) })
    expect(() => stampPresenceUser({ clientId: 1, clock: 1, state: nearLimit }, eve)).toThrow(/over 4096 bytes/)
  })

  it('a __proto__ key stays plain data', () => {
    const stamped = stampPresenceUser({ clientId: 1, clock: 1, state: '{"__proto__":{"polluted":1}}' }, eve)
    expect(({} as { polluted?: number }).polluted).toBeUndefined()
    expect(JSON.parse(stamped.state).user).toEqual(user)
  })
})
