import { expect, test } from 'vitest'
import { memberColor } from '../domain/memberColor'
import { readPeerPresence } from './presence'

const user = { id: 'm1', name: 'Ann', color: '#3cb44b' }

test('a well-formed state is read as it is', () => {
  const cell = { entityId: 'contacts', rowId: 'r1', fieldId: 'f1' }
  expect(readPeerPresence(7, { user, view: 'contacts', cell })).toEqual({ clientId: 7, user, view: 'contacts', cell })
})

test('a colour that is not plain becomes the member’s own, so it never reaches CSS', () => {
  for (const color of ['url(http://evil/)', 'red;background:url(http://evil/)', 42, undefined]) {
    expect(readPeerPresence(1, { user: { ...user, color } })?.user.color).toBe(memberColor('m1'))
  }
})

test('a state that names nobody is no peer; a malformed view or cell is left out', () => {
  for (const bad of [undefined, null, 'Ann', { name: 'Ann' }, { id: 1, name: 'Ann' }, { id: 'm1', name: { html: '<b>' } }]) {
    expect(readPeerPresence(1, { user: bad })).toBeNull()
  }
  const peer = readPeerPresence(1, { user, view: { toString: 'x' }, cell: { entityId: 'contacts', rowId: 5, fieldId: 'f1' } })
  expect(peer).toEqual({ clientId: 1, user, view: undefined, cell: null })
})
