import { describe, expect, it } from 'vitest'
import { QuietBacklog, type QuietBacklogLimits } from './quietBacklog'

const LIMITS: QuietBacklogLimits = { quietMs: 20, spareBelow: 0, maxItems: 1000, maxBytes: 1_000_000, sliceItems: 4 }

function backlog(limits: QuietBacklogLimits = LIMITS) {
  const slices: number[][] = []
  const errors: unknown[] = []
  const queue = new QuietBacklog<number>(limits, async (slice) => {
    slices.push(slice)
    if (slice.includes(-1)) throw new Error('bad item')
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
})
