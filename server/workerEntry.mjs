// Entry of the relay's worker threads: the relay is TypeScript run through tsx, whose loader a
// worker inherits neither from a programmatic register() (bin/kanso.js) nor from vitest.
// `workerData.module` is the thread's module, relative to this directory.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(new URL(workerData.module, import.meta.url).href)
