import { createRoot } from 'solid-js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemberDirectory, memberNameOf, type MemberDirectory } from './memberDirectory'
import type { MemberInfo } from './relayApi'

const ada: MemberInfo = { id: 'm-ada', name: 'Ada', role: 'admin' }
const bea: MemberInfo = { id: 'm-bea', name: 'Bea', role: 'editor' }

/** The relay's member list as GET /api/members answers it, counting the reads; `fail` makes the next reads refuse. */
function relayMembers(initial: MemberInfo[]) {
  const relay = { list: initial, reads: 0, fail: false }
  return Object.assign(relay, {
    members: async () => {
      relay.reads++
      if (relay.fail) throw new TypeError('Failed to fetch')
      return [...relay.list]
    },
  })
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createMemberDirectory with memberNameOf', () => {
  let dispose: () => void = () => {}
  const open = (api: { members: () => Promise<MemberInfo[]> }): MemberDirectory => createRoot((d) => { dispose = d; return createMemberDirectory(api) })
  beforeEach(() => localStorage.clear())
  afterEach(() => dispose())

  it('reads the list again when a member who joined after the page loaded shows up by id', async () => {
    const relay = relayMembers([ada])
    const directory = open(relay)
    await settle()
    expect(relay.reads).toBe(1)
    expect(memberNameOf(directory.members(), ada.id)).toBe('Ada')
    await settle()
    expect(relay.reads).toBe(1)

    relay.list = [ada, bea]
    expect(memberNameOf(directory.members(), bea.id)).toBeUndefined()
    await settle()
    expect(relay.reads).toBe(2)
    expect(memberNameOf(directory.members(), bea.id)).toBe('Bea')
  })

  it('asks once per id the relay does not know either, not on every paint', async () => {
    const relay = relayMembers([ada])
    const directory = open(relay)
    await settle()
    for (let i = 0; i < 5; i++) memberNameOf(directory.members(), 'api')
    await settle()
    expect(relay.reads).toBe(2)
    memberNameOf(directory.members(), 'api')
    await settle()
    expect(relay.reads).toBe(2)
  })

  it('ids met while a read is under way get one more read only if its answer lacks them', async () => {
    const relay = relayMembers([ada, bea])
    const directory = open(relay)
    // the first read is in flight: Bea is in its answer, so no second read
    memberNameOf(directory.members(), bea.id)
    await settle()
    expect(relay.reads).toBe(1)
    expect(memberNameOf(directory.members(), bea.id)).toBe('Bea')

    // two unknown ids, one after the other: the second waits for the first read, then reads once
    relay.list = [ada, bea, { id: 'm-cy', name: 'Cy', role: 'viewer' }]
    memberNameOf(directory.members(), 'm-cy')
    memberNameOf(directory.members(), 'm-dee')
    await settle()
    await settle()
    expect(relay.reads).toBe(3)
    expect(memberNameOf(directory.members(), 'm-cy')).toBe('Cy')
  })

  it('after a failed read (offline) an unknown id asks again; the last known list stays', async () => {
    const relay = relayMembers([ada])
    const directory = open(relay)
    await settle()
    relay.fail = true
    relay.list = [ada, bea]
    memberNameOf(directory.members(), bea.id)
    await settle()
    expect(relay.reads).toBe(2)
    expect(directory.members()).toEqual([ada])
    relay.fail = false
    memberNameOf(directory.members(), bea.id)
    await settle()
    expect(relay.reads).toBe(3)
    expect(memberNameOf(directory.members(), bea.id)).toBe('Bea')
  })

  it('a directory whose page is gone is not told any more', async () => {
    const relay = relayMembers([ada])
    open(relay)
    await settle()
    dispose()
    memberNameOf([], bea.id)
    await settle()
    expect(relay.reads).toBe(1)
  })
})
