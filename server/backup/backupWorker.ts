// A backup's thread (takeBackup.ts): the copy and its clean-up take seconds on a big workspace,
// which the relay's event loop must not wait for.
import { parentPort, workerData } from 'node:worker_threads'
import { lowerThreadPriority } from '../lowerThreadPriority'
import { writeBackupFile } from './writeBackupFile'

const port = parentPort
if (!port) throw new Error('backupWorker.ts runs as a worker thread')
lowerThreadPriority()
const { dataFile, target } = workerData as { dataFile: string; target: string }
try {
  port.postMessage({ ok: true, info: writeBackupFile(dataFile, target) })
} catch (error) {
  port.postMessage({ ok: false, error: (error as Error).message })
}
