import { describe, expect, it } from 'vitest'
import { MAX_AWARENESS_ENTRIES, parseAwarenessUpdate } from './parseClientMessage'
import { RoomAwareness } from './roomAwareness'

const owner = (memberId: string) => ({ member: { id: memberId } })

describe('RoomAwareness', () => {
  it('keeps the newest state per client and encodes the live ones', () => {
    const awareness = new RoomAwareness()
    awareness.apply([{ clientId: 1, clock: 1, state: '{"n":1}' }, { clientId: 2, clock: 4, state: '{"n":2}' }])
    awareness.apply([{ clientId: 1, clock: 0, state: '{"n":"stale"}' }])
    expect(parseAwarenessUpdate(awareness.encodeLiveStates() as Uint8Array)).toEqual([
      { clientId: 1, clock: 1, state: '{"n":1}' },
      { clientId: 2, clock: 4, state: '{"n":2}' },
    ])
  })

  it('a connection owns the first client id it announces; entries for other ids are dropped', () => {
    const awareness = new RoomAwareness()
    const ann = owner('ann')
    const eve = owner('eve')
    expect(awareness.ownEntries(ann, [{ clientId: 5, clock: 1, state: '{}' }])).toEqual([{ clientId: 5, clock: 1, state: '{}' }])
    // Eve's first message names Ann's client: nothing of it is hers, and she owns nothing yet
    expect(awareness.ownEntries(eve, [{ clientId: 5, clock: 9, state: '{}' }, { clientId: 6, clock: 1, state: '{}' }])).toEqual([])
    expect(awareness.ownEntries(eve, [{ clientId: 6, clock: 1, state: '{}' }, { clientId: 5, clock: 9, state: '{}' }])).toEqual([{ clientId: 6, clock: 1, state: '{}' }])
    expect(awareness.ownEntries(eve, [{ clientId: 5, clock: 10, state: 'null' }])).toEqual([])
    expect(awareness.ownEntries(ann, [{ clientId: 6, clock: 2, state: '{}' }, { clientId: 5, clock: 2, state: '{}' }])).toEqual([{ clientId: 5, clock: 2, state: '{}' }])
  })

  it('the same member’s new connection takes its client over (a reconnect before the old socket timed out)', () => {
    const awareness = new RoomAwareness()
    const stale = owner('ann')
    const fresh = owner('ann')
    awareness.ownEntries(stale, [{ clientId: 5, clock: 1, state: '{}' }])
    awareness.apply([{ clientId: 5, clock: 1, state: '{}' }])
    expect(awareness.ownEntries(fresh, [{ clientId: 5, clock: 2, state: '{}' }])).toHaveLength(1)
    awareness.apply([{ clientId: 5, clock: 2, state: '{}' }])
    expect(awareness.release(stale)).toBeNull()
    expect(awareness.liveCount()).toBe(1)
  })

  it('releasing a connection bumps its client’s clock, encodes a null state and forgets it', () => {
    const awareness = new RoomAwareness()
    const ann = owner('ann')
    awareness.ownEntries(ann, [{ clientId: 5, clock: 2, state: '{}' }])
    awareness.apply([{ clientId: 5, clock: 2, state: '{}' }])
    expect(parseAwarenessUpdate(awareness.release(ann) as Uint8Array)).toEqual([{ clientId: 5, clock: 3, state: 'null' }])
    expect(awareness.release(ann)).toBeNull()
    expect(awareness.encodeLiveStates()).toBeNull()
    expect(awareness.liveCount()).toBe(0)
    // the id is free again, for whoever announces it next
    expect(awareness.ownEntries(owner('bo'), [{ clientId: 5, clock: 1, state: '{}' }])).toHaveLength(1)
  })

  it('sends a newcomer at most MAX_AWARENESS_ENTRIES states', () => {
    const awareness = new RoomAwareness()
    awareness.apply(Array.from({ length: MAX_AWARENESS_ENTRIES + 5 }, (_, i) => ({ clientId: i + 1, clock: 1, state: '{}' })))
    expect(parseAwarenessUpdate(awareness.encodeLiveStates() as Uint8Array)).toHaveLength(MAX_AWARENESS_ENTRIES)
  })
})
