// Child-process entry: the real relay (startRelay) over <dataDir>, no app, no schema seeding,
// event-loop lag at /debug/loop-lag. Run as: node --import tsx bench/relayProcessMain.ts <dataDir>
import { silentLogger } from '../server/relayLogger'
import { startRelay } from '../server/startRelay'

const [dataDir] = process.argv.slice(2)
if (!dataDir) {
  console.error('usage: relayProcessMain.ts <dataDir>')
  process.exit(2)
}
const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, distDir: null, seedSchema: null, debugLoopLag: true, sync: { startWorkers: true }, logger: process.env.KANSO_BENCH_RELAY_LOG === '1' ? undefined : silentLogger })
console.log(`KANSO_LISTENING port=${relay.port}`)
const stop = () => {
  relay.close().then(() => process.exit(0), (error: unknown) => {
    console.error(`relay stop failed: ${(error as Error).message}`)
    process.exit(1)
  })
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
