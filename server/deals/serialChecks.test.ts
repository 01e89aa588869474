import { describe, expect, it } from 'vitest'
import { makeSerialChecks } from './serialChecks'

describe('makeSerialChecks', () => {
  it('runs one check at a time and gathers what is asked meanwhile into the next run', async () => {
    const runs: string[][] = []
    let active = 0
    let overlapped = false
    const checks = makeSerialChecks<'a' | 'b'>(async (reasons) => {
      overlapped ||= active > 0
      active++
      runs.push([...reasons].sort())
      await new Promise((resolve) => setTimeout(resolve, 5))
      active--
    }, (error) => { throw error })
    checks.request('a')
    checks.request('a')
    await Promise.resolve()
    await Promise.resolve()
    checks.request('b')
    checks.request('a')
    await checks.idle()
    expect(overlapped).toBe(false)
    expect(runs).toEqual([['a'], ['a', 'b']])
  })

  it('reports a failed run and runs again on the next request', async () => {
    const failures: string[] = []
    let calls = 0
    const checks = makeSerialChecks<'x'>(async () => {
      calls++
      if (calls === 1) throw new Error('storage refused it')
    }, (error) => failures.push(error.message))
    checks.request('x')
    await checks.idle()
    checks.request('x')
    await checks.idle()
    expect(failures).toEqual(['storage refused it'])
    expect(calls).toBe(2)
  })
})
