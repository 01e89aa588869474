// `kanso …` (bin/kanso.js imports this through tsx).
import { runCli } from './runCli'

const status = await runCli(process.argv.slice(2))
if (status !== 0) process.exitCode = status
