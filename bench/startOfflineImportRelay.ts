import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { SCHEMA_DOC } from '../src/crdt/docNames'
import { seedDefaultSchema } from '../src/crdt/schemaDoc'
import { seedMembers, seedRelayStorage, type SeededMember } from './seedRelayStorage'
import { startBenchRelay, type RelayProcess } from './startRelayProcess'

export interface OfflineImportRelay {
  relay: RelayProcess
  /** The member who imports offline, and the teammate who watches the rows arrive. */
  rep: SeededMember
  teammate: SeededMember
  /** Stops the relay (writing its profile when asked for) and removes its data. */
  close(): Promise<void>
}

/**
 * The offline-import benches' relay: a new data directory with the default schema and two
 * members, the real relay over it (serving `distDir` when given). KANSO_BENCH_OFFLINE_PROFILE=<prefix>:
 * the relay's CPU profile of the run, written to `<prefix>-<rows>.cpuprofile` when it stops.
 */
export async function startOfflineImportRelay(rows: number, distDir?: string): Promise<OfflineImportRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kanso-bench-offline-import-'))
  const [rep, teammate] = seedMembers(dataDir, ['Rep', 'Teammate'])
  const schema = new Y.Doc()
  seedDefaultSchema(schema)
  seedRelayStorage(dataDir, [{ name: SCHEMA_DOC, update: Y.encodeStateAsUpdate(schema) }])
  const prefix = process.env.KANSO_BENCH_OFFLINE_PROFILE
  const cpuProfileFile = prefix ? `${prefix}-${rows}.cpuprofile` : undefined
  const relay = await startBenchRelay(dataDir, { distDir, cpuProfileFile })
  return {
    relay,
    rep: rep!,
    teammate: teammate!,
    async close() {
      await (cpuProfileFile ? relay.stop() : relay.kill())
      if (process.env.KANSO_BENCH_RELAY_LOG === '1') console.log(relay.log())
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
