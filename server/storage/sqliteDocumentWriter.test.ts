import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../relayLogger'
import { createSqliteStorage } from './sqliteStorage'
import { sqliteDocumentWriter } from './sqliteDocumentWriter'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function storageFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-writer-'))
  dirs.push(dir)
  return join(dir, 'kanso.sqlite')
}

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill)

describe('sqliteDocumentWriter', () => {
  it('writes big updates in its thread and keeps every write in the order asked', async () => {
    const storage = createSqliteStorage(storageFile())
    const writer = sqliteDocumentWriter(storage, silentLogger, { startThread: false, threadAboveBytes: 1000 })
    const order: string[] = []
    const small1 = writer.append([{ name: 'doc', update: bytes(10, 1) }]).then((s) => (order.push('small1'), s))
    const big = writer.append([{ name: 'doc', update: bytes(5000, 2) }]).then((s) => (order.push('big'), s))
    const small2 = writer.append([{ name: 'doc', update: bytes(10, 3) }]).then((s) => (order.push('small2'), s))
    const seqs = (await Promise.all([small1, big, small2])).flat()
    expect(order).toEqual(['small1', 'big', 'small2'])
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(storage.loadRows('doc').map((r) => [r.update.byteLength, r.update[0]])).toEqual([[10, 1], [5000, 2], [10, 3]])

    await writer.compact('doc', bytes(2000, 9), seqs[2] as number, bytes(3, 7))
    expect(storage.loadRows('doc').map((r) => [r.seq, r.update.byteLength, r.stateVector && [...r.stateVector]])).toEqual([[seqs[2], 2000, [7, 7, 7]]])
    await writer.close()
    await expect(writer.append([{ name: 'doc', update: bytes(1, 1) }])).rejects.toThrow(/closed/)
    storage.close()
  })

  it('closes cleanly right after starting its thread', async () => {
    const storage = createSqliteStorage(storageFile())
    const writer = sqliteDocumentWriter(storage, silentLogger, { startThread: true })
    await writer.append([{ name: 'doc', update: bytes(10, 1) }])
    await writer.close()
    expect(storage.loadRows('doc')).toHaveLength(1)
    storage.close()
  })
})
