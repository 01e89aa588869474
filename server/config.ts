import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_API_RATE_LIMIT } from './api/apiRateLimit'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rooms/rateLimiter'
import type { RateLimit } from './rooms/tokenBucket'
import { SQLITE_FILE_NAME } from './storage/sqliteStorage'

/** The repository / package root (where dist/ and vite.config.ts live). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const DEFAULT_PORT = 8787
export const DEFAULT_DATA_DIR = './data'
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024

/** Bad flag or environment value; the CLI prints the message and exits with status 2. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface ServeConfig {
  port: number
  /** undefined: all interfaces (Node's default). */
  host: string | undefined
  dataDir: string
  dataFile: string
  dev: boolean
  adminToken: string | undefined
  /** Base of printed links; undefined: http://localhost:<port> once the port is known. */
  publicUrl: string | undefined
  maxMessageBytes: number
  /** null: KANSO_RATE_LIMIT=off. */
  rateLimits: RateLimits | null
  /** /api/v1 requests per API key or member; null: KANSO_API_RATE_PER_S=off. */
  apiRateLimit: RateLimit | null
  /** KANSO_RULES_INTERVAL_MS: how often time-based rules are looked at (default 60000). */
  rulesIntervalMs: number
  /** KANSO_BACKUP_DIR (+ KANSO_BACKUP_EVERY_HOURS, KANSO_BACKUP_KEEP): scheduled backups; null without KANSO_BACKUP_DIR. */
  backups: BackupScheduleConfig | null
  distDir: string
}

export interface BackupScheduleConfig {
  dir: string
  everyMs: number
  keep: number
}

/** Scheduled backups' defaults: once a day, the newest 7 kept. */
export const DEFAULT_BACKUP_EVERY_HOURS = 24
export const DEFAULT_BACKUP_KEEP = 7

/**
 * KANSO_BACKUP_DIR: where `kanso backup` without a file and the relay's scheduled backups write;
 * KANSO_BACKUP_EVERY_HOURS (default 24; decimals allowed, "off": only by hand) and
 * KANSO_BACKUP_KEEP (default 7). null: no directory, or the schedule off.
 */
export function resolveBackupSchedule(env: Env, cwd = process.cwd()): BackupScheduleConfig | null {
  const dir = env.KANSO_BACKUP_DIR?.trim()
  if (!dir) return null
  const every = env.KANSO_BACKUP_EVERY_HOURS?.trim()
  if (every?.toLowerCase() === 'off') return null
  const hours = every ? Number(every) : DEFAULT_BACKUP_EVERY_HOURS
  if (!Number.isFinite(hours) || hours <= 0 || hours * 3_600_000 < 1000) throw new ConfigError(`KANSO_BACKUP_EVERY_HOURS must be a number of hours above 0 or "off" (got "${every}")`)
  const keep = env.KANSO_BACKUP_KEEP ? parsePositiveInt(env.KANSO_BACKUP_KEEP, 'KANSO_BACKUP_KEEP', 1) : DEFAULT_BACKUP_KEEP
  return { dir: resolve(cwd, dir), everyMs: Math.round(hours * 3_600_000), keep }
}


export interface ServeFlags {
  port?: string
  data?: string
  host?: string
  dev?: boolean
}

type Env = Record<string, string | undefined>

/** KANSO_RULES_INTERVAL_MS's default: the relay looks for due time-based rules every minute (and at start). */
export const DEFAULT_RULES_INTERVAL_MS = 60_000

export function parsePort(value: string, source: string): number {
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(`${source} must be a port number 0–65535 (got "${value}")`)
  const port = Number(value)
  if (port > 65535) throw new ConfigError(`${source} must be a port number 0–65535 (got ${port})`)
  return port
}

function parsePositiveInt(value: string, source: string, min: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(`${source} must be a whole number of at least ${min} (got "${value}")`)
  }
  return Number(value)
}

export function parsePublicUrl(value: string, source: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`${source} must be an absolute http(s) URL such as https://crm.example.com (got "${value}")`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${source} must start with http:// or https:// (got "${value}")`)
  if (url.search || url.hash) throw new ConfigError(`${source} must not contain a query or fragment (got "${value}")`)
  return url.toString().replace(/\/+$/, '')
}

export function dataFileIn(dataDir: string): string {
  return join(dataDir, SQLITE_FILE_NAME)
}

/** Where the data lives: --data, else KANSO_DATA, else ./data (relative to the working directory). */
export function resolveDataDir(flag: string | undefined, env: Env, cwd = process.cwd()): string {
  const dir = flag ?? env.KANSO_DATA ?? DEFAULT_DATA_DIR
  if (dir.trim() === '') throw new ConfigError(flag !== undefined ? '--data must not be empty' : 'KANSO_DATA must not be empty')
  return resolve(cwd, dir)
}

/** The KANSO_RATE_LIMIT_* variables: each replaces one figure of DEFAULT_RATE_LIMITS. */
export const RATE_LIMIT_ENV = {
  KANSO_RATE_LIMIT_MESSAGES: (l: RateLimits) => l.connection.messages,
  KANSO_RATE_LIMIT_BYTES: (l: RateLimits) => l.connection.bytes,
  KANSO_RATE_LIMIT_MEMBER_MESSAGES: (l: RateLimits) => l.member.messages,
  KANSO_RATE_LIMIT_MEMBER_BYTES: (l: RateLimits) => l.member.bytes,
} as const

/**
 * Rate limits from the environment: KANSO_RATE_LIMIT=off turns them off; KANSO_RATE_LIMIT_<what>
 * sets a sustained rate per second and KANSO_RATE_LIMIT_<what>_BURST how much may come at once,
 * for MESSAGES and BYTES of one connection and MEMBER_MESSAGES and MEMBER_BYTES of all of a
 * member's connections; KANSO_RATE_LIMIT_GRACE_MS how long a connection may stay over them.
 */
export function resolveRateLimits(env: Env): RateLimits | null {
  const switchValue = env.KANSO_RATE_LIMIT?.trim().toLowerCase()
  if (switchValue === 'off') return null
  if (switchValue !== undefined && switchValue !== '' && switchValue !== 'on') throw new ConfigError(`KANSO_RATE_LIMIT must be "on" or "off" (got "${env.KANSO_RATE_LIMIT}")`)
  const limits: RateLimits = structuredClone(DEFAULT_RATE_LIMITS)
  for (const [name, pick] of Object.entries(RATE_LIMIT_ENV)) {
    const limit = pick(limits)
    const rate = env[name]
    const burst = env[`${name}_BURST`]
    if (rate) limit.perSecond = parsePositiveInt(rate, name, 1)
    if (burst) limit.burst = parsePositiveInt(burst, `${name}_BURST`, 1)
  }
  if (env.KANSO_RATE_LIMIT_GRACE_MS) limits.graceMs = parsePositiveInt(env.KANSO_RATE_LIMIT_GRACE_MS, 'KANSO_RATE_LIMIT_GRACE_MS', 0)
  return limits
}

/**
 * The /api/v1 rate limit: KANSO_API_RATE_PER_S requests per second per API key or member
 * ("off": none) and KANSO_API_BURST at once; defaults DEFAULT_API_RATE_LIMIT.
 */
export function resolveApiRateLimit(env: Env): RateLimit | null {
  const rate = env.KANSO_API_RATE_PER_S?.trim()
  if (rate?.toLowerCase() === 'off') return null
  const limit = { ...DEFAULT_API_RATE_LIMIT }
  if (rate) limit.perSecond = parsePositiveInt(rate, 'KANSO_API_RATE_PER_S', 1)
  if (env.KANSO_API_BURST) limit.burst = parsePositiveInt(env.KANSO_API_BURST, 'KANSO_API_BURST', 1)
  return limit
}

/** Flags win over the environment, which wins over defaults. */
export function resolveServeConfig(flags: ServeFlags, env: Env, cwd = process.cwd()): ServeConfig {
  const port = flags.port !== undefined ? parsePort(flags.port, '--port') : env.PORT !== undefined && env.PORT !== '' ? parsePort(env.PORT, 'PORT') : DEFAULT_PORT
  if (flags.host !== undefined && flags.host.trim() === '') throw new ConfigError('--host must not be empty')
  const dataDir = resolveDataDir(flags.data, env, cwd)
  const adminToken = env.KANSO_ADMIN_TOKEN !== undefined && env.KANSO_ADMIN_TOKEN !== '' ? env.KANSO_ADMIN_TOKEN : undefined
  const publicUrl = env.KANSO_PUBLIC_URL ? parsePublicUrl(env.KANSO_PUBLIC_URL, 'KANSO_PUBLIC_URL') : undefined
  const maxMessageBytes = env.KANSO_MAX_MESSAGE_BYTES
    ? parsePositiveInt(env.KANSO_MAX_MESSAGE_BYTES, 'KANSO_MAX_MESSAGE_BYTES', 1024)
    : DEFAULT_MAX_MESSAGE_BYTES
  const dev = flags.dev ?? false
  return {
    port,
    // Vite's dev server stays on this machine unless asked otherwise.
    host: flags.host ?? (dev ? 'localhost' : undefined),
    dataDir,
    dataFile: dataFileIn(dataDir),
    dev,
    adminToken,
    publicUrl,
    maxMessageBytes,
    rateLimits: resolveRateLimits(env),
    apiRateLimit: resolveApiRateLimit(env),
    rulesIntervalMs: env.KANSO_RULES_INTERVAL_MS ? parsePositiveInt(env.KANSO_RULES_INTERVAL_MS, 'KANSO_RULES_INTERVAL_MS', 1000) : DEFAULT_RULES_INTERVAL_MS,
    backups: resolveBackupSchedule(env, cwd),
    distDir: join(PROJECT_ROOT, 'dist'),
  }
}

/** The base URL for links when KANSO_PUBLIC_URL is not set. */
export function defaultPublicUrl(port: number): string {
  return `http://localhost:${port}`
}
