import { describe, expect, it } from 'vitest'
import { QuietBacklog, type QuietBacklogLimits } from './quietBacklog'
import { HISTORY_BACKLOG } from './recordHistoryFeed'

const LIMITS: QuietBacklogLimits = { quietMs: 20, maxItems: 1000, maxBytes: 1_000_000, sliceItems: 4, sliceMs: 1000 }

/** `did` answers how many items of a slice the work got through before its time was up. */
function backlog(limits: QuietBacklogLimits = LIMITS, did?: (slice: number[]) => number) {
  const slices: number[][] = []
  const errors: unknown[] = []
  const queue = new QuietBacklog<number>(limits, async (slice) => {
    slices.push(slice)
    if (slice.includes(-1)) throw new Error('bad item')
    return did?.(slice)
  }, (error) => errors.push(error))
  return { queue, slices, errors }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('QuietBacklog', () => {
  it('works off nothing on the turns it is pushed to, then everything in order, a slice per turn, once quiet', async () => {
    const { queue, slices } = backlog({ ...LIMITS, quietMs: 200 })
    for (let i = 0; i < 10; i++) queue.push(i, 10)
    await turn()
    await turn()
    expect(slices).toEqual([])
    expect(queue.length).toBe(10)
    for (let k = 0; k < 100 && slices.flat().length < 10; k++) await wait(50)
    expect(slices.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(slices.map((s) => s.length)).toEqual([4, 4, 2])
    expect(queue.length).toBe(0)
  })

  it('works while items keep coming once it holds more items or bytes than its limits', async () => {
    const byCount = backlog({ ...LIMITS, maxItems: 5 })
    for (let i = 0; i < 6; i++) byCount.queue.push(i, 1)
    await turn()
    expect(byCount.slices).toEqual([[0, 1, 2, 3]])

    const byBytes = backlog({ ...LIMITS, maxBytes: 100 })
    byBytes.queue.push(0, 60)
    await turn()
    expect(byBytes.slices).toEqual([])
    byBytes.queue.push(1, 60)
    await turn()
    expect(byBytes.slices).toEqual([[0, 1]])
  })

  it('drained() starts the work at once and resolves when what was pushed meanwhile is worked off too', async () => {
    const { queue, slices } = backlog({ ...LIMITS, quietMs: 60_000 })
    for (let i = 0; i < 6; i++) queue.push(i, 1)
    const drained = queue.drained().then(() => slices.flat())
    queue.push(6, 1)
    expect(await drained).toEqual([0, 1, 2, 3, 4, 5, 6])
    await expect(queue.drained()).resolves.toBeUndefined()
  })

  it('a slice whose work fails is reported and the rest is still worked off', async () => {
    const { queue, slices, errors } = backlog({ ...LIMITS, sliceItems: 2 })
    for (const i of [0, -1, 2, 3]) queue.push(i, 1)
    await queue.drained()
    expect(slices).toEqual([[0, -1], [2, 3]])
    expect(errors.map((e) => (e as Error).message)).toEqual(['bad item'])
  })

  it('works off nothing beside a steady load that never pauses for quietMs, however idle the event loop (the history\'s limits)', async () => {
    // a push every 10 ms leaves the loop idle nearly all the time; a slice between two pushes
    // would still delay the second (B9's p99 at 1000 edits/s), so the work waits for the pause
    const { queue, slices } = backlog({ ...HISTORY_BACKLOG, quietMs: 200 })
    for (let i = 0; i < 30; i++) {
      queue.push(i, 1)
      await wait(10)
    }
    expect(slices).toEqual([])
    await queue.drained()
    expect(slices.flat()).toEqual([...Array(30).keys()])
  })

  it('a slice whose time ran out hands the items it did not get to out again, first, in order', async () => {
    const { queue, slices } = backlog({ ...LIMITS, quietMs: 0 }, () => 1)
    for (let i = 0; i < 6; i++) queue.push(i, 1)
    await queue.drained()
    expect(slices).toEqual([[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5], [4, 5], [5]])
    expect(queue.length).toBe(0)
  })

  it('an item the work did not finish (it answered 0) comes first again, with the items after it', async () => {
    let calls = 0
    const { queue, slices } = backlog({ ...LIMITS, quietMs: 0 }, () => (++calls <= 2 ? 0 : 4))
    for (let i = 0; i < 3; i++) queue.push(i, 1)
    await queue.drained()
    expect(slices).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]])
    expect(queue.length).toBe(0)
  })
})
