import { describe, expect, it } from 'vitest'
import { inlineDocumentWriter } from './documentWriter'
import { createMemoryStorage } from './memoryStorage'
import type { RelayStorage } from './relayStorage'
import { StorageHealth } from './storageHealth'

/** Memory storage that counts the health writes it was asked for. */
function countingStorage(): RelayStorage & { probes: number } {
  const storage = createMemoryStorage()
  const counted = Object.assign(Object.create(storage) as RelayStorage, { probes: 0 })
  counted.checkWritable = () => {
    counted.probes++
    storage.checkWritable()
  }
  return counted
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('StorageHealth', () => {
  it('runs one probe for any number of callers, and none while a write is recent', async () => {
    const storage = countingStorage()
    const health = new StorageHealth(inlineDocumentWriter(storage), { intervalMs: 100 })
    const reports = await Promise.all(Array.from({ length: 20 }, () => health.check()))
    expect(reports).toEqual(Array.from({ length: 20 }, () => ({ ok: true })))
    expect(storage.probes).toBe(1)
    await health.check()
    expect(storage.probes).toBe(1)
    await sleep(120)
    await Promise.all([health.check(), health.check()])
    expect(storage.probes).toBe(2)
  })

  it('the writer\'s own commits stand for a probe', async () => {
    const storage = countingStorage()
    const writer = inlineDocumentWriter(storage)
    const health = new StorageHealth(writer, { intervalMs: 10_000 })
    await writer.append([{ name: 'entity-contacts', update: new Uint8Array([0, 0]) }])
    expect(await health.check()).toEqual({ ok: true })
    expect(storage.probes).toBe(0)
  })

  it('reports a failed write with its reason until a later write works', async () => {
    const storage = countingStorage()
    const writer = inlineDocumentWriter(storage)
    const health = new StorageHealth(writer, { intervalMs: 10_000 })
    storage.close()
    await expect(writer.append([{ name: 'entity-contacts', update: new Uint8Array([0, 0]) }])).rejects.toThrow()
    expect(await health.check()).toEqual({ ok: false, reason: 'storage is not writable: storage is closed' })
  })

  it('answers after waitMs when the probe does not finish, without waiting for it', async () => {
    let finish = () => {}
    const stuck = new Promise<void>((resolve) => (finish = resolve))
    const health = new StorageHealth({ probe: () => stuck, start: () => Promise.resolve(), health: () => ({ lastWrite: null, appendFailure: null }) }, { waitMs: 30 })
    expect(await health.check()).toEqual({ ok: false, reason: expect.stringMatching(/^storage is not writable: no write has completed yet/) })
    finish()
  })
})
