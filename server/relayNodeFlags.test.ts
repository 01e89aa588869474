import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from './config'
import { RELAY_NODE_FLAGS } from './relayNodeFlags'

describe('the relay’s V8 flags', () => {
  it('are the ones the start and dev scripts run the relay with', () => {
    const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    for (const name of ['start', 'dev']) expect(scripts[name]).toContain(`node ${RELAY_NODE_FLAGS.join(' ')} bin/kanso.js serve`)
  })

  it('give Node a young generation of 16 MB from the start (it would otherwise start, and shrink back when idle, to 1 MB)', () => {
    const read = (flags: readonly string[]) => {
      const out = spawnSync(process.execPath, [...flags, '-e', "console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)"], { encoding: 'utf8' })
      expect(out.status, out.stderr).toBe(0)
      return Number(out.stdout.trim())
    }
    expect(read(RELAY_NODE_FLAGS)).toBe(16 * 1024 * 1024)
    expect(read([])).toBeLessThan(16 * 1024 * 1024)
  })
})
