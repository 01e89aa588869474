import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lockFileOf, markRelayRunning, runningRelayPid } from './relayLock'

const dir = mkdtempSync(join(tmpdir(), 'kanso-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('relayLock', () => {
  it('counts a relay of this process while it runs, and none after', () => {
    const file = join(dir, 'a.sqlite')
    const unmark = markRelayRunning(file)
    expect(runningRelayPid(file)).toBe(process.pid)
    unmark()
    expect(runningRelayPid(file)).toBeNull()
  })
  it('does not count a file left with our own pid by another process (pid 1 in a new container), nor a dead pid', () => {
    const file = join(dir, 'b.sqlite')
    writeFileSync(lockFileOf(file), `${process.pid}\n`)
    expect(runningRelayPid(file)).toBeNull()
    writeFileSync(lockFileOf(file), '2147483646\n')
    expect(runningRelayPid(file)).toBeNull()
    writeFileSync(lockFileOf(file), 'garbage')
    expect(runningRelayPid(file)).toBeNull()
  })
})
