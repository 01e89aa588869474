// Entry of the relay's worker threads and child processes: the relay is TypeScript run through
// tsx, whose loader a worker inherits neither from a programmatic register() (bin/kanso.js) nor
// from vitest (a child process is started without the relay's node flags). The module to run,
// relative to this directory: `workerData.module` in a thread, the first argument in a process.
import { isMainThread, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(new URL(isMainThread ? process.argv[2] : workerData.module, import.meta.url).href)
