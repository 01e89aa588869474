import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memoryStorage'
import { describeRelayStorageContract } from './relayStorage.contract'
import { createSqliteStorage, SQLITE_FILE_NAME } from './sqliteStorage'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describeRelayStorageContract('memory', { create: createMemoryStorage })

const files = new WeakMap<object, string>()
describeRelayStorageContract('sqlite', {
  create() {
    const dir = mkdtempSync(join(tmpdir(), 'kanso-storage-'))
    dirs.push(dir)
    // a nested, not yet existing directory: the storage creates it
    const file = join(dir, 'data', SQLITE_FILE_NAME)
    const storage = createSqliteStorage(file)
    files.set(storage, file)
    return storage
  },
  reopen(storage) {
    const file = files.get(storage)
    if (!file) throw new Error('unknown storage')
    storage.close()
    return createSqliteStorage(file)
  },
})

describe('SQLite storage', () => {
  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kanso-storage-'))
    dirs.push(dir)
    return join(dir, SQLITE_FILE_NAME)
  }

  it('names its file, for worker threads to open', () => {
    const file = tempFile()
    const storage = createSqliteStorage(file)
    expect(storage.file).toBe(file)
    expect(createMemoryStorage().file).toBeNull()
    storage.close()
  })

  it('moves a database of the first layout (one row per update, global ids) to the current one', () => {
    const file = tempFile()
    const old = new Database(file)
    old.exec(`
      CREATE TABLE updates (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX updates_doc ON updates (doc, id);
      CREATE TABLE members (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta (key, value) VALUES ('members_version', 3);
      CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);
      INSERT INTO updates (doc, data) VALUES ('a', x'01'), ('b', x'02'), ('a', x'03'), ('a', x'04'), ('b', x'05');
      PRAGMA user_version = 1;
    `)
    old.close()
    const storage = createSqliteStorage(file)
    expect(storage.loadRows('a').map((r) => [r.seq, [...r.update]])).toEqual([[1, [1]], [3, [3]], [4, [4]]])
    expect(storage.loadRows('b').map((r) => [r.seq, [...r.update]])).toEqual([[2, [2]], [5, [5]]])
    expect(storage.listDocuments()).toEqual(['a', 'b'])
    expect(storage.membersVersion()).toBe(3)
    expect(storage.appendUpdate('a', new Uint8Array([6]))).toBeGreaterThan(4)
    storage.close()
  })
})

describe('SQLite document numbers', () => {
  it('two connections to one file (the relay and a worker thread, two relays) never hand out one number twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kanso-storage-'))
    dirs.push(dir)
    const file = join(dir, SQLITE_FILE_NAME)
    const a = createSqliteStorage(file)
    const b = createSqliteStorage(file)
    const numbers: string[] = []
    for (let i = 0; i < 20; i++) {
      numbers.push(a.assignDocumentNumber(`a${i}`, 'invoice', 2026).number, b.assignDocumentNumber(`b${i}`, 'invoice', 2026).number)
      // the same issue seen by the other connection keeps its number
      expect(b.assignDocumentNumber(`a${i}`, 'invoice', 2026).number).toBe(numbers.at(-2))
    }
    expect(new Set(numbers).size).toBe(40)
    expect(numbers.at(-1)).toBe('INV-2026-0040')
    a.close()
    b.close()
  })
})
