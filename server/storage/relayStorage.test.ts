import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
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
