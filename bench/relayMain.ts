// Child-process entry: the real relay (startRelay) serving the bench's own build of the app.
// Run as: node --import tsx bench/relayMain.ts <dataDir> <distDir> [cpuProfileFile]
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { startRelay } from '../server/startRelay'

const [dataDir, distDir, cpuProfileFile] = process.argv.slice(2)
if (!dataDir || !distDir) {
  console.error('usage: relayMain.ts <dataDir> <distDir> [cpuProfileFile]')
  process.exit(2)
}
// With a profile file: sample the relay's CPU from start to stop (open it in Chrome DevTools).
const profiler = cpuProfileFile ? new Session() : null
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, distDir, seedSchema: null })
console.log(`KANSO_LISTENING port=${relay.port}`)

async function stop(): Promise<void> {
  if (profiler && cpuProfileFile) {
    const { profile } = await profiler.post('Profiler.stop')
    writeFileSync(cpuProfileFile, JSON.stringify(profile))
  }
  await relay.close()
}
const onSignal = () => {
  stop().then(() => process.exit(0), (error: unknown) => {
    console.error(`relay stop failed: ${(error as Error).message}`)
    process.exit(1)
  })
}
process.on('SIGTERM', onSignal)
process.on('SIGINT', onSignal)
