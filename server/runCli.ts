import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { BackupFormatError } from './backup/backupFormat'
import { RelayRunningError, restoreBackup } from './backup/restoreBackup'
import { backupFileName, takeBackup } from './backup/takeBackup'
import { parseArgs } from 'node:util'
import type { ApiKey } from './auth/apiKey'
import { createApiKey } from './auth/createApiKey'
import { createMember } from './auth/createMember'
import { findApiKeyByIdOrName, findMemberByIdOrName, MemberLookupError } from './auth/findMemberByIdOrName'
import { inviteLink } from './auth/inviteLink'
import { MemberInputError, ROLES, type Member } from './auth/member'
import { ConfigError, dataFileIn, DEFAULT_PORT, defaultPublicUrl, parsePort, parsePublicUrl, resolveDataDir, resolveServeConfig } from './config'
import { NOT_BUILT_HINT } from './http/serveStatic'
import type { Relay } from './startRelay'
import type { RelayStorage } from './storage/relayStorage'
import { createSqliteStorage } from './storage/sqliteStorage'

const HELP = `Kanso — local-first sales CRM with a self-hosted sync relay

Usage:
  kanso serve [--port N] [--data DIR] [--host H] [--dev]
      Serve the app (from dist/), the API and the sync websocket on one port.
      --dev mounts Vite with hot reload instead of serving dist/.
  kanso member add --name NAME --role admin|editor|viewer [--data DIR]
      Add a member; prints their token and invite link (shown only once).
  kanso member list [--data DIR]
      Members with id, name, role, created and revoked dates.
  kanso member revoke <id-or-name> [--data DIR]
      Revoke a member; a running relay closes their connections within a second.
  kanso apikey add --name NAME --role admin|editor|viewer [--data DIR]
      Create an API key for an integration (HTTP API only); prints the key (shown only once).
  kanso apikey list [--data DIR]
      API keys with id, name, role, created and revoked dates (never the keys).
  kanso apikey revoke <id-or-name> [--data DIR]
      Revoke an API key; a running relay refuses it from the next request on.
  kanso backup [FILE] [--data DIR]
      Write the whole workspace (documents, members, API keys, webhooks, counters, history) to
      FILE, or to a new file in KANSO_BACKUP_DIR; works while the relay runs.
  kanso restore FILE [--data DIR]
      Replace the data directory's workspace by the backup FILE (stop the relay first). Browsers
      that synced before reload the workspace from the relay when they reconnect.
  kanso --help

Environment (flags win):
  PORT                     port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  KANSO_DATA               data directory (default ./data); SQLite file kanso.sqlite inside
  KANSO_ADMIN_TOKEN        make sure an admin named "Admin" has this token (16+ characters)
  KANSO_PUBLIC_URL         base URL for printed links (default http://localhost:<port>)
  KANSO_MAX_MESSAGE_BYTES  largest websocket message accepted (default 64 MiB)
  KANSO_RATE_LIMIT         "off" turns the rate limits below off (default on)
  KANSO_RATE_LIMIT_MESSAGES[_BURST]         messages/s one connection may send (200; at once 200)
  KANSO_RATE_LIMIT_BYTES[_BURST]            bytes/s one connection may send (8 MiB; at once 64 MiB)
  KANSO_RATE_LIMIT_MEMBER_MESSAGES[_BURST]  messages/s of all of a member's connections (1000; 2000)
  KANSO_RATE_LIMIT_MEMBER_BYTES[_BURST]     bytes/s of all of a member's connections (32 MiB; 128 MiB)
  KANSO_RATE_LIMIT_GRACE_MS                 a connection over its limits this long is closed (10000)
  KANSO_API_RATE_PER_S     /api/v1 requests per second per API key or member (50; "off" turns it off)
  KANSO_API_BURST          /api/v1 requests one key or member may make at once (200)
  KANSO_BACKUP_DIR         scheduled backups (and \`kanso backup\` without FILE) go here
  KANSO_BACKUP_EVERY_HOURS how often the running relay backs up into KANSO_BACKUP_DIR (24; "off")
  KANSO_BACKUP_KEEP        how many scheduled backups are kept, newest first (7)

Member, apikey and backup commands work on the SQLite file directly, whether or not the relay is running.
`

/** Wrong usage: printed with a pointer to --help, exit status 2. */
class UsageError extends Error {
  override name = 'UsageError'
}

/** The command cannot be done as asked (missing data, unknown member): exit status 1. */
class CommandError extends Error {
  override name = 'CommandError'
}

type Print = (line: string) => void

/** Where the CLI reads its environment and writes; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>
  out: Print
  err: Print
}

const processIo: CliIo = { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) }

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>
interface Parsed {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

function parse(args: string[], flags: FlagSpec, allowPositionals: boolean): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...flags, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
    return { values: values as Parsed['values'], positionals }
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''))
  }
}

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined)

async function serve(args: string[], io: CliIo): Promise<void> {
  const print = io.out
  const { values } = parse(args, { port: { type: 'string' }, data: { type: 'string' }, host: { type: 'string' }, dev: { type: 'boolean' } }, false)
  if (values.help) {
    print(HELP)
    return
  }
  const config = resolveServeConfig(
    { port: text(values.port), data: text(values.data), host: text(values.host), dev: values.dev === true },
    io.env,
  )
  // Loaded here so that member commands start fast.
  const { startRelay } = await import('./startRelay')
  // Signals are handled from the start: a SIGTERM during start-up waits for it, then closes.
  let started: (relay: Relay) => void = () => undefined
  handleSignals(new Promise<Relay>((resolve) => { started = resolve }))
  const relay = await startRelay({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    adminToken: config.adminToken,
    publicUrl: config.publicUrl,
    maxMessageBytes: config.maxMessageBytes,
    rateLimits: config.rateLimits,
    apiRateLimit: config.apiRateLimit,
    rulesIntervalMs: config.rulesIntervalMs,
    backups: config.backups,
    distDir: config.distDir,
    dev: config.dev,
    // A long-running server: load the document workers' code now, not on the first big document.
    sync: { startWorkers: true },
  })
  started(relay)
  printBanner(relay, config.dataFile, config.dev, print)
}

function printBanner(relay: Relay, dataFile: string, dev: boolean, print: Print): void {
  const shownData = dataFile.startsWith(process.cwd() + '/') ? `./${dataFile.slice(process.cwd().length + 1)}` : dataFile
  print(`Kanso relay listening on ${relay.publicUrl} (data: ${shownData})${dev ? ' — dev mode with hot reload' : ''}`)
  if (!relay.appBuilt) print(`Note: ${NOT_BUILT_HINT}`)
  if (relay.seeded) print('Seeded the default workspace schema.')
  const admin = relay.firstAdmin
  if (admin.kind === 'generated') {
    const link = inviteLink(relay.publicUrl, admin.token)
    const rule = '='.repeat(Math.min(100, link.length + 4))
    print('')
    print(rule)
    print('  First start: created the admin member "Admin". Open this link to sign in')
    print('  (it holds the admin token and is shown only once; keep it secret):')
    print('')
    print(`  ${link}`)
    print(rule)
    print('')
  } else {
    if (admin.kind === 'fromEnv' && admin.created) print('Created the admin member "Admin" for KANSO_ADMIN_TOKEN.')
    print(`Open ${relay.publicUrl} — to invite someone (or get a new link for yourself), run:`)
    print('  npx kanso member add --name "Their Name" --role editor')
  }
  // Machine-readable, for tests and scripts that start the relay on port 0.
  print(`KANSO_LISTENING port=${relay.port}`)
}

function handleSignals(relay: Promise<Relay>): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting now`)
      process.exit(1)
    }
    stopping = true
    console.log(`${signal}: closing connections and storage…`)
    relay.then((r) => r.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`shutdown failed: ${(error as Error).message}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function linkBase(env: CliIo['env']): string {
  if (env.KANSO_PUBLIC_URL) return parsePublicUrl(env.KANSO_PUBLIC_URL, 'KANSO_PUBLIC_URL')
  const port = env.PORT ? parsePort(env.PORT, 'PORT') : DEFAULT_PORT
  return defaultPublicUrl(port === 0 ? DEFAULT_PORT : port)
}

function formatTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : '-'
}

function memberTable(members: ReadonlyArray<Member | ApiKey>): string[] {
  const header = ['ID', 'NAME', 'ROLE', 'CREATED', 'REVOKED']
  const rows = members.map((m) => [m.id, m.name, m.role, formatTime(m.createdAt), formatTime(m.revokedAt)])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(header), ...rows.map(line)]
}

/** For list and revoke: a data directory that holds no database is a mistake worth naming. */
function openExistingStorage(dataFlag: string | undefined, env: CliIo['env']) {
  const dataDir = resolveDataDir(dataFlag, env)
  const file = dataFileIn(dataDir)
  if (!existsSync(file)) {
    throw new CommandError(`no Kanso data in ${dataDir} (${file} does not exist); pass --data DIR or set KANSO_DATA`)
  }
  return createSqliteStorage(file)
}

/** Runs `use` with the storage, then closes it (each CLI command opens the database once). */
function usingStorage(storage: RelayStorage, use: (storage: RelayStorage) => void): void {
  try {
    use(storage)
  } finally {
    storage.close()
  }
}

async function member(args: string[], io: CliIo): Promise<void> {
  const print = io.out
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    print(HELP)
    return
  }
  const withData: FlagSpec = { data: { type: 'string' } }
  if (sub === 'add') {
    const { values } = parse(rest, { ...withData, name: { type: 'string' }, role: { type: 'string' } }, false)
    if (values.help) return print(HELP)
    if (values.name === undefined) throw new UsageError('member add needs --name NAME')
    if (values.role === undefined) throw new UsageError(`member add needs --role (${ROLES.join(', ')})`)
    const base = linkBase(io.env)
    usingStorage(createSqliteStorage(dataFileIn(resolveDataDir(text(values.data), io.env))), (storage) => {
      const { member: added, token } = createMember(storage, { name: values.name, role: values.role })
      print(`Added ${added.role} "${added.name}" (id ${added.id}).`)
      print(`Token (shown only once): ${token}`)
      print(`Invite link: ${inviteLink(base, token)}`)
    })
    return
  }
  if (sub === 'list') {
    const { values } = parse(rest, withData, false)
    if (values.help) return print(HELP)
    usingStorage(openExistingStorage(text(values.data), io.env), (storage) => {
      const members = storage.listMembers()
      if (members.length === 0) print('No members yet. Start the relay (kanso serve) or run: kanso member add --name NAME --role admin')
      else for (const line of memberTable(members)) print(line)
    })
    return
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse(rest, withData, true)
    if (values.help) return print(HELP)
    const [wanted] = positionals
    if (positionals.length !== 1 || !wanted) throw new UsageError('member revoke needs exactly one <id-or-name>')
    usingStorage(openExistingStorage(text(values.data), io.env), (storage) => {
      const target = findMemberByIdOrName(storage, wanted)
      if (target.revokedAt) {
        print(`${target.name} (id ${target.id}) was already revoked on ${formatTime(target.revokedAt)}.`)
        return
      }
      storage.revokeMember(target.id, new Date().toISOString())
      print(`Revoked ${target.role} "${target.name}" (id ${target.id}). A running relay closes their connections within a second.`)
    })
    return
  }
  throw new UsageError(`unknown member command "${sub}"; use add, list or revoke`)
}

async function apikey(args: string[], io: CliIo): Promise<void> {
  const print = io.out
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    print(HELP)
    return
  }
  const withData: FlagSpec = { data: { type: 'string' } }
  if (sub === 'add') {
    const { values } = parse(rest, { ...withData, name: { type: 'string' }, role: { type: 'string' } }, false)
    if (values.help) return print(HELP)
    if (values.name === undefined) throw new UsageError('apikey add needs --name NAME')
    if (values.role === undefined) throw new UsageError(`apikey add needs --role (${ROLES.join(', ')})`)
    usingStorage(createSqliteStorage(dataFileIn(resolveDataDir(text(values.data), io.env))), (storage) => {
      const { apiKey, key } = createApiKey(storage, { name: values.name, role: values.role })
      print(`Added ${apiKey.role} API key "${apiKey.name}" (id ${apiKey.id}).`)
      print(`Key (shown only once): ${key}`)
      print('Send it as: Authorization: Bearer <key>')
    })
    return
  }
  if (sub === 'list') {
    const { values } = parse(rest, withData, false)
    if (values.help) return print(HELP)
    usingStorage(openExistingStorage(text(values.data), io.env), (storage) => {
      const keys = storage.listApiKeys()
      if (keys.length === 0) print('No API keys yet. Create one with: kanso apikey add --name NAME --role editor')
      else for (const line of memberTable(keys)) print(line)
    })
    return
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse(rest, withData, true)
    if (values.help) return print(HELP)
    const [wanted] = positionals
    if (positionals.length !== 1 || !wanted) throw new UsageError('apikey revoke needs exactly one <id-or-name>')
    usingStorage(openExistingStorage(text(values.data), io.env), (storage) => {
      const target = findApiKeyByIdOrName(storage, wanted)
      if (target.revokedAt) {
        print(`API key "${target.name}" (id ${target.id}) was already revoked on ${formatTime(target.revokedAt)}.`)
        return
      }
      storage.revokeApiKey(target.id, new Date().toISOString())
      print(`Revoked ${target.role} API key "${target.name}" (id ${target.id}). A running relay refuses it from the next request on.`)
    })
    return
  }
  throw new UsageError(`unknown apikey command "${sub}"; use add, list or revoke`)
}

async function backup(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, { data: { type: 'string' } }, true)
  if (values.help) return io.out(HELP)
  if (positionals.length > 1) throw new UsageError('kanso backup takes at most one FILE')
  const dataDir = resolveDataDir(text(values.data), io.env)
  const file = dataFileIn(dataDir)
  if (!existsSync(file)) throw new CommandError(`no Kanso data in ${dataDir} (${file} does not exist); pass --data DIR or set KANSO_DATA`)
  const dir = io.env.KANSO_BACKUP_DIR?.trim()
  if (positionals[0] === undefined && !dir) throw new UsageError('kanso backup needs a FILE or KANSO_BACKUP_DIR')
  const target = resolve(positionals[0] ?? join(dir as string, backupFileName()))
  const taken = await takeBackup(file, target)
  io.out(`Backed up ${taken.documents} documents of ${dataDir} to ${taken.file} (${taken.bytes} bytes).`)
}

async function restore(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, { data: { type: 'string' } }, true)
  if (values.help) return io.out(HELP)
  if (positionals.length !== 1) throw new UsageError('kanso restore takes one FILE')
  const dataDir = resolveDataDir(text(values.data), io.env)
  mkdirSync(dataDir, { recursive: true })
  try {
    const restored = restoreBackup(positionals[0] as string, dataFileIn(dataDir))
    io.out(`Restored ${restored.documents} documents from ${positionals[0]} (taken ${restored.createdAt}) into ${dataDir}; the workspace's new epoch is ${restored.epoch}.`)
  } catch (error) {
    if (error instanceof BackupFormatError || error instanceof RelayRunningError) throw new CommandError(error.message)
    throw error
  }
}

/** Runs the CLI; resolves to the exit status (serve keeps running and resolves 0 once started). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP)
      return command === undefined ? 2 : 0
    }
    if (command === 'serve') await serve(rest, io)
    else if (command === 'member') await member(rest, io)
    else if (command === 'apikey') await apikey(rest, io)
    else if (command === 'backup') await backup(rest, io)
    else if (command === 'restore') await restore(rest, io)
    else throw new UsageError(`unknown command "${command}"`)
    return 0
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof MemberInputError) {
      io.err(`kanso: ${error.message}\nRun "kanso --help" for usage.`)
      return 2
    }
    if (error instanceof MemberLookupError || error instanceof CommandError) {
      io.err(`kanso: ${error.message}`)
      return 1
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') io.err(`kanso: port already in use: ${(error as Error).message}. Pick another with --port or PORT.`)
    else io.err(`kanso: ${(error as Error).message}`)
    return 1
  }
}
