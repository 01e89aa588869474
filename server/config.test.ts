import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_MAX_MESSAGE_BYTES, resolveServeConfig } from './config'

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
})
