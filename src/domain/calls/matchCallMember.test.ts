import { describe, expect, it } from 'vitest'
import { matchCallMember } from './matchCallMember'

const members = [
  { id: 'a1', name: 'Ann', email: 'ann@example.com', extension: '201' },
  { id: 'b2', name: 'Bob', extension: '202' },
  { id: 'c3', name: 'Cy', extension: '202' },
]

describe('matchCallMember', () => {
  it('by id, email without case, or extension', () => {
    expect(matchCallMember(members, 'a1')).toMatchObject({ ok: true, member: { id: 'a1' } })
    expect(matchCallMember(members, ' ANN@example.com ')).toMatchObject({ ok: true, member: { id: 'a1' } })
    expect(matchCallMember(members, '201')).toMatchObject({ ok: true, member: { id: 'a1' } })
  })

  it('an extension two members share is ambiguous; nobody is unknown', () => {
    expect(matchCallMember(members, '202')).toEqual({ ok: false, reason: 'ambiguous' })
    expect(matchCallMember(members, 'Ann')).toEqual({ ok: false, reason: 'unknown' })
  })
})
