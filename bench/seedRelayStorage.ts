import * as Y from 'yjs'
import { createMember } from '../server/auth/createMember'
import { dataFileIn } from '../server/config'
import { readRowSnapshot } from '../server/snapshots/readRowSnapshot'
import { createSqliteStorage } from '../server/storage/sqliteStorage'

export interface SeededMember { id: string; name: string; token: string }

/**
 * Creates the relay's SQLite file in `dataDir` with the bench members (the first is an admin,
 * the others editors), before the relay starts. Returns the members with their tokens (the
 * relay only keeps hashes).
 */
export function seedMembers(dataDir: string, names: string[]): SeededMember[] {
  const storage = createSqliteStorage(dataFileIn(dataDir))
  try {
    return names.map((name, i) => {
      const { member, token } = createMember(storage, { name, role: i === 0 ? 'admin' : 'editor' })
      return { id: member.id, name: member.name, token }
    })
  } finally {
    storage.close()
  }
}

/**
 * Stores each document through the relay's own storage interface exactly as the relay keeps a
 * document it has compacted: one row, with its state vector; and, for entity documents, the row
 * snapshot a relay that has been serving the workspace keeps for first visits (server/snapshots).
 */
export function seedRelayStorage(dataDir: string, docs: { name: string; update: Uint8Array }[]): void {
  const storage = createSqliteStorage(dataFileIn(dataDir))
  try {
    for (const { name, update } of docs) {
      if (storage.lastSeq(name) !== 0) throw new Error(`document "${name}" is already stored in ${dataDir}`)
      const seq = storage.appendUpdate(name, update)
      storage.compact(name, update, seq, Y.encodeStateVectorFromUpdate(update))
      if (name.startsWith('entity-')) readRowSnapshot(storage, name, false)
    }
    storage.checkpoint()
  } finally {
    storage.close()
  }
}
