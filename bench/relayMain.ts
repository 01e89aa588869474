// Child-process entry: the real relay (startRelay) serving the bench's own build of the app.
// Run as: node --import tsx bench/relayMain.ts <dataDir> <distDir>
import { startRelay } from '../server/startRelay'

const [dataDir, distDir] = process.argv.slice(2)
if (!dataDir || !distDir) {
  console.error('usage: relayMain.ts <dataDir> <distDir>')
  process.exit(2)
}
const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, distDir, seedSchema: null })
console.log(`KANSO_LISTENING port=${relay.port}`)
const stop = () => {
  relay.close().then(() => process.exit(0), (error: unknown) => {
    console.error(`relay close failed: ${(error as Error).message}`)
    process.exit(1)
  })
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
