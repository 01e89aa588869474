import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_MAX_MESSAGE_BYTES, resolveApiRateLimit, resolveBackupSchedule, resolveRateLimits, resolveServeConfig } from './config'
import { DEFAULT_RATE_LIMITS } from './rooms/rateLimiter'

describe('resolveServeConfig', () => {
  it('uses defaults, then the environment, then flags', () => {
    const defaults = resolveServeConfig({}, {}, '/srv')
    expect(defaults).toMatchObject({ port: 8787, dataDir: '/srv/data', dataFile: '/srv/data/kanso.sqlite', host: undefined, dev: false, maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES })
    const env = { PORT: '9000', KANSO_DATA: '/var/kanso', KANSO_PUBLIC_URL: 'https://crm.example.com/', KANSO_MAX_MESSAGE_BYTES: '1048576', KANSO_ADMIN_TOKEN: 'x'.repeat(20) }
    expect(resolveServeConfig({}, env, '/srv')).toMatchObject({ port: 9000, dataDir: '/var/kanso', publicUrl: 'https://crm.example.com', maxMessageBytes: 1048576, adminToken: 'x'.repeat(20) })
    expect(resolveServeConfig({ port: '0', data: 'here', host: '127.0.0.1', dev: true }, env, '/srv')).toMatchObject({ port: 0, dataDir: '/srv/here', host: '127.0.0.1', dev: true })
    expect(resolveServeConfig({ dev: true }, {}, '/srv').host).toBe('localhost')
  })

  it('names the flag or variable that is wrong', () => {
    expect(() => resolveServeConfig({ port: '80a' }, {})).toThrow(new ConfigError('--port must be a port number 0–65535 (got "80a")'))
    expect(() => resolveServeConfig({}, { PORT: '70000' })).toThrow(/PORT must be a port number/)
    expect(() => resolveServeConfig({}, { KANSO_PUBLIC_URL: 'crm.example.com' })).toThrow(/KANSO_PUBLIC_URL must be an absolute/)
    expect(() => resolveServeConfig({}, { KANSO_MAX_MESSAGE_BYTES: '12' })).toThrow(/KANSO_MAX_MESSAGE_BYTES must be a whole number of at least 1024/)
    expect(() => resolveServeConfig({ data: '' }, {})).toThrow(/--data must not be empty/)
  })

  it('reads the rate limits from KANSO_RATE_LIMIT_*, each replacing one default', () => {
    expect(resolveServeConfig({}, {}, '/srv').rateLimits).toEqual(DEFAULT_RATE_LIMITS)
    const limits = resolveRateLimits({ KANSO_RATE_LIMIT_MESSAGES: '50', KANSO_RATE_LIMIT_MESSAGES_BURST: '60', KANSO_RATE_LIMIT_MEMBER_BYTES_BURST: '1048576', KANSO_RATE_LIMIT_GRACE_MS: '2500' })
    expect(limits).toEqual({
      ...DEFAULT_RATE_LIMITS,
      connection: { ...DEFAULT_RATE_LIMITS.connection, messages: { perSecond: 50, burst: 60 } },
      member: { ...DEFAULT_RATE_LIMITS.member, bytes: { perSecond: DEFAULT_RATE_LIMITS.member.bytes.perSecond, burst: 1048576 } },
      graceMs: 2500,
    })
    expect(DEFAULT_RATE_LIMITS.connection.messages.perSecond).toBe(200) // the defaults were not changed in place
    expect(resolveRateLimits({ KANSO_RATE_LIMIT: 'off' })).toBeNull()
    expect(() => resolveRateLimits({ KANSO_RATE_LIMIT: 'no' })).toThrow(/KANSO_RATE_LIMIT must be "on" or "off"/)
    expect(() => resolveRateLimits({ KANSO_RATE_LIMIT_BYTES: '0' })).toThrow(/KANSO_RATE_LIMIT_BYTES must be a whole number of at least 1/)
  })

  it('reads the time-based rules\' interval from KANSO_RULES_INTERVAL_MS (default a minute)', () => {
    expect(resolveServeConfig({}, {}, '/srv').rulesIntervalMs).toBe(60_000)
    expect(resolveServeConfig({}, { KANSO_RULES_INTERVAL_MS: '5000' }, '/srv').rulesIntervalMs).toBe(5000)
    expect(() => resolveServeConfig({}, { KANSO_RULES_INTERVAL_MS: '10' }, '/srv')).toThrow(/KANSO_RULES_INTERVAL_MS must be a whole number of at least 1000/)
  })

  it('reads the /api/v1 rate limit from KANSO_API_RATE_PER_S and KANSO_API_BURST', () => {
    expect(resolveServeConfig({}, {}, '/srv').apiRateLimit).toEqual({ perSecond: 50, burst: 200 })
    expect(resolveApiRateLimit({ KANSO_API_RATE_PER_S: '5', KANSO_API_BURST: '20' })).toEqual({ perSecond: 5, burst: 20 })
    expect(resolveApiRateLimit({ KANSO_API_BURST: '1000' })).toEqual({ perSecond: 50, burst: 1000 })
    expect(resolveApiRateLimit({ KANSO_API_RATE_PER_S: 'off' })).toBeNull()
    expect(() => resolveApiRateLimit({ KANSO_API_RATE_PER_S: '0' })).toThrow(/KANSO_API_RATE_PER_S must be a whole number of at least 1/)
    expect(() => resolveApiRateLimit({ KANSO_API_BURST: 'lots' })).toThrow(/KANSO_API_BURST must be a whole number/)
  })
})

describe('resolveBackupSchedule', () => {
  it('backs up daily keeping 7 once KANSO_BACKUP_DIR is set; hours may be decimals, "off" turns the schedule off', () => {
    expect(resolveBackupSchedule({}, '/srv')).toBeNull()
    expect(resolveBackupSchedule({ KANSO_BACKUP_DIR: 'backups' }, '/srv')).toEqual({ dir: '/srv/backups', everyMs: 24 * 3_600_000, keep: 7 })
    expect(resolveBackupSchedule({ KANSO_BACKUP_DIR: '/b', KANSO_BACKUP_EVERY_HOURS: '0.5', KANSO_BACKUP_KEEP: '30' }, '/srv')).toEqual({ dir: '/b', everyMs: 1_800_000, keep: 30 })
    expect(resolveBackupSchedule({ KANSO_BACKUP_DIR: '/b', KANSO_BACKUP_EVERY_HOURS: 'off' }, '/srv')).toBeNull()
    expect(resolveServeConfig({}, { KANSO_BACKUP_DIR: '/b' }, '/srv').backups).toEqual({ dir: '/b', everyMs: 86_400_000, keep: 7 })
  })
  it('refuses what it cannot read, naming the variable', () => {
    expect(() => resolveBackupSchedule({ KANSO_BACKUP_DIR: '/b', KANSO_BACKUP_EVERY_HOURS: '0' })).toThrow(/KANSO_BACKUP_EVERY_HOURS must be a number of hours above 0 or "off" \(got "0"\)/)
    expect(() => resolveBackupSchedule({ KANSO_BACKUP_DIR: '/b', KANSO_BACKUP_EVERY_HOURS: 'daily' })).toThrow(ConfigError)
    expect(() => resolveBackupSchedule({ KANSO_BACKUP_DIR: '/b', KANSO_BACKUP_KEEP: '0' })).toThrow(/KANSO_BACKUP_KEEP/)
  })
})
