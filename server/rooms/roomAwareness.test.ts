import { describe, expect, it } from 'vitest'
import { parseAwarenessUpdate } from './parseClientMessage'
import { RoomAwareness } from './roomAwareness'

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

  it('removing clients bumps their clocks and encodes null states', () => {
    const awareness = new RoomAwareness()
    awareness.apply([{ clientId: 5, clock: 2, state: '{}' }])
    expect(parseAwarenessUpdate(awareness.remove([5, 6]) as Uint8Array)).toEqual([{ clientId: 5, clock: 3, state: 'null' }])
    expect(awareness.remove([5])).toBeNull()
    expect(awareness.encodeLiveStates()).toBeNull()
    expect(awareness.liveCount()).toBe(0)
  })
})
