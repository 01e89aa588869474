import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../relayLogger'
import { createSqliteStorage } from './sqliteStorage'
import { sqliteDocumentWriter } from './sqliteDocumentWriter'
import { decodeLog, recoverUpdateLog, UpdateLog } from './updateLog'

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
    await writer.settled('doc')
    expect(storage.loadRows('doc').map((r) => [r.update.byteLength, r.update[0]])).toEqual([[10, 1], [5000, 2], [10, 3]])

    await writer.compact('doc', bytes(2000, 9), seqs[2] as number, bytes(3, 7))
    expect(storage.loadRows('doc').map((r) => [r.seq, r.update.byteLength, r.stateVector && [...r.stateVector]])).toEqual([[seqs[2], 2000, [7, 7, 7]]])
    await writer.close()
    await expect(writer.append([{ name: 'doc', update: bytes(1, 1) }])).rejects.toThrow(/closed/)
    storage.close()
  })

  it('counts SQLite transactions, not appends: a fold of many logged appends is one (WAL checkpoints are paced by them)', async () => {
    const storage = createSqliteStorage(storageFile())
    let transactions = 0
    const writer = sqliteDocumentWriter(storage, silentLogger, { startThread: true, foldIdleMs: 60_000, foldDelayMs: 60_000, onTransaction: () => void transactions++ })
    await writer.start()
    for (let i = 0; i < 200; i++) await writer.append([{ name: 'doc', update: bytes(20, i % 250) }])
    expect(transactions).toBe(0)
    await writer.settled('doc')
    expect(transactions).toBe(1)
    expect(storage.loadRows('doc')).toHaveLength(200)
    await writer.compact('doc', bytes(100, 1), storage.loadRows('doc').at(-1)!.seq, bytes(3, 7))
    expect(transactions).toBe(2)
    await writer.close()
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

describe('the writer thread folds the update log', () => {
  const logFilesOf = (file: string) => readdirSync(dirname(file)).filter((n) => n.includes('-updates-')).map((n) => join(dirname(file), n))

  /** A writer whose thread is running (a big append went through it), folding only when asked; its error lines kept. */
  async function threadWriter() {
    const file = storageFile()
    const storage = createSqliteStorage(file)
    const errors: string[] = []
    const logger = { ...silentLogger, error: (line: string) => void errors.push(line) }
    const writer = sqliteDocumentWriter(storage, logger, { startThread: true, threadAboveBytes: 1000, foldIdleMs: 60_000, foldDelayMs: 60_000 })
    await writer.append([{ name: 'doc', update: bytes(5000, 9) }])
    return { file, storage, writer, errors }
  }

  it('reads the sealed log files itself, in order, and deletes them once the rows are in SQLite', async () => {
    const { file, storage, writer, errors } = await threadWriter()
    for (let i = 1; i <= 40; i++) await writer.append([{ name: i % 2 ? 'doc' : 'other', update: bytes(10, i) }])
    expect(logFilesOf(file)).toHaveLength(1)
    await writer.settled('doc')
    await writer.settled('other')
    const elsewhere = createSqliteStorage(file)
    expect(elsewhere.loadRows('doc').map((r) => r.update[0])).toEqual([9, ...Array.from({ length: 20 }, (_, i) => 2 * i + 1)])
    expect(elsewhere.loadRows('other').map((r) => r.update[0])).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 2))
    expect(logFilesOf(file)).toEqual([])
    // from the files, not the fallback (which posts the rows after a logged failure)
    expect(errors).toEqual([])
    elsewhere.close()
    await writer.close()
    storage.close()
  })

  it('sends the rows themselves when the files do not hold them all', async () => {
    const { file, storage, writer, errors } = await threadWriter()
    await writer.append([{ name: 'doc', update: bytes(10, 1) }])
    await writer.append([{ name: 'doc', update: bytes(10, 2) }])
    // damage the log after the second record (its rows are still in memory)
    const [log] = logFilesOf(file)
    const whole = readFileSync(log!)
    writeFileSync(log!, whole.subarray(0, whole.byteLength - 3))
    await writer.settled('doc')
    expect(errors.join('\n')).toMatch(/held 1 rows, 2 were logged/)
    const elsewhere = createSqliteStorage(file)
    expect(elsewhere.loadRows('doc').map((r) => r.update[0])).toEqual([9, 1, 2])
    elsewhere.close()
    await writer.close()
    storage.close()
  })
})

describe('the update log', () => {
  it('makes small appends readable at once, writes them into SQLite later, and replays what a killed relay left', async () => {
    const file = storageFile()
    const storage = createSqliteStorage(file)
    const writer = sqliteDocumentWriter(storage, silentLogger, { startThread: false, foldIdleMs: 60_000, foldDelayMs: 60_000 })
    const [first] = await writer.append([{ name: 'doc', update: bytes(10, 1) }])
    const [second, third] = await writer.append([{ name: 'doc', update: bytes(10, 2) }, { name: 'other', update: bytes(10, 3) }])
    expect(second).toBeGreaterThan(first as number)
    // Readable through this storage object, not yet through another connection.
    expect(storage.loadRows('doc').map((r) => [r.seq, r.update[0]])).toEqual([[first, 1], [second, 2]])
    expect(storage.lastSeq('other')).toBe(third)
    const elsewhere = createSqliteStorage(file)
    expect(elsewhere.loadRows('doc')).toEqual([])
    expect(readdirSync(dirname(file)).filter((n) => n.includes('-updates-'))).toHaveLength(1)

    // "Killed": nothing closed. A new relay on the same file replays the log before numbering.
    const restarted = createSqliteStorage(file)
    const writer2 = sqliteDocumentWriter(restarted, silentLogger, { startThread: false })
    expect(elsewhere.loadRows('doc').map((r) => [r.seq, r.update[0]])).toEqual([[first, 1], [second, 2]])
    expect(elsewhere.loadRows('other').map((r) => r.seq)).toEqual([third])
    const [fourth] = await writer2.append([{ name: 'doc', update: bytes(10, 4) }])
    expect(fourth).toBeGreaterThan(second as number)
    await writer2.settled('doc')
    expect(elsewhere.loadRows('doc').map((r) => r.update[0])).toEqual([1, 2, 4])
    await writer2.close()
    expect(readdirSync(dirname(file)).filter((n) => n.includes('-updates-'))).toEqual([])
    restarted.close()
    elsewhere.close()
    // The first writer's log file is gone (replayed); its rows must not come back twice.
    await writer.close()
    storage.close()
    const reopened = createSqliteStorage(file)
    expect(reopened.loadRows('doc').map((r) => r.update[0])).toEqual([1, 2, 4])
    reopened.close()
  })

  it('writes records that read back whole: names in any script, seqs past 2^32, records bigger than its first buffer', () => {
    const dir = dirname(storageFile())
    const db = join(dir, 'y.sqlite')
    const log = new UpdateLog(db)
    const batches = [
      [{ name: 'entity-kontakte-größe', seq: 2 ** 40 + 3, update: bytes(3, 5) }],
      Array.from({ length: 40 }, (_, i) => ({ name: `entity-${i}`, seq: 128 + i, update: bytes(1000 + i, i) })),
      [{ name: 'schema', seq: 1, update: bytes(0, 0) }],
    ]
    for (const rows of batches) log.append(rows)
    log.close()
    const [path] = readdirSync(dir).filter((n) => n.startsWith('y.sqlite-updates-'))
    const read = decodeLog(readFileSync(join(dir, path as string)))
    expect(read.map((r) => [r.name, r.seq, [...r.update]])).toEqual(batches.flat().map((r) => [r.name, r.seq, [...r.update]]))
  })

  it('stops a replay at a torn record and keeps the whole ones before it', () => {
    const rows = [{ name: 'a', seq: 3, update: bytes(5, 1) }]
    const dir = dirname(storageFile())
    const db = join(dir, 'x.sqlite')
    const log = new UpdateLog(db)
    log.append(rows)
    log.append([{ name: 'b', seq: 9, update: bytes(7, 2) }])
    log.close()
    const [path] = readdirSync(dir).filter((n) => n.startsWith('x.sqlite-updates-'))
    const whole = readFileSync(join(dir, path as string))
    expect(decodeLog(whole).map((r) => [r.name, r.seq, r.update.byteLength])).toEqual([['a', 3, 5], ['b', 9, 7]])
    expect(decodeLog(whole.subarray(0, whole.byteLength - 1)).map((r) => r.name)).toEqual(['a'])
    const damaged = Uint8Array.from(whole)
    damaged[damaged.byteLength - 1] = (damaged[damaged.byteLength - 1] as number) ^ 0xff
    expect(decodeLog(damaged).map((r) => r.name)).toEqual(['a'])
    const replayed: string[] = []
    expect(recoverUpdateLog(db, (r) => replayed.push(...r.map((row) => row.name)))).toBe(2)
    expect(replayed).toEqual(['a', 'b'])
    expect(readdirSync(dir).filter((n) => n.startsWith('x.sqlite-updates-'))).toEqual([])
  })
})
