import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../server/runCli'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { makeTempDir, removeTempDirs, ROOT, spawnRelay } from './relayTestKit'

afterAll(removeTempDirs)

/** The CLI in-process, with its own environment and captured output. */
async function kanso(args: string[], env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

describe('kanso CLI', () => {
  it('adds, lists and revokes members on the data directory', async () => {
    const data = makeTempDir()
    const added = await kanso(['member', 'add', '--name', 'Alice Smith', '--role', 'editor', '--data', data], { KANSO_PUBLIC_URL: 'https://crm.example.com/' })
    expect(added.code).toBe(0)
    const token = /Token \(shown only once\): (\S+)/.exec(added.stdout)?.[1]
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(added.stdout).toContain(`Invite link: https://crm.example.com/#token=${token}`)
    const withPort = await kanso(['member', 'add', '--name', 'Bob', '--role', 'viewer', '--data', data], { PORT: '9000' })
    expect(withPort.stdout).toMatch(/Invite link: http:\/\/localhost:9000\/#token=/)

    const list = await kanso(['member', 'list', '--data', data])
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+REVOKED$/)
    expect(list.stdout).toMatch(/Alice Smith\s+editor\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-/)

    expect((await kanso(['member', 'revoke', 'alice smith', '--data', data])).code).toBe(0)
    const storage = createSqliteStorage(`${data}/kanso.sqlite`)
    expect(storage.listMembers().find((m) => m.name === 'Alice Smith')?.revokedAt).toEqual(expect.any(String))
    const bob = storage.listMembers().find((m) => m.name === 'Bob')
    storage.close()
    expect((await kanso(['member', 'revoke', bob?.id ?? '?', '--data', data])).stdout).toMatch(/Revoked viewer "Bob"/)
    expect((await kanso(['member', 'revoke', 'Bob', '--data', data])).stdout).toMatch(/already revoked/)
    const empty = await kanso(['member', 'list', '--data', makeTempDir()])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toMatch(/no Kanso data in .* pass --data DIR or set KANSO_DATA/)
    const missing = await kanso(['member', 'revoke', 'nobody', '--data', data])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no member with id or name "nobody"/)
  })

  it('adds, lists and revokes API keys; the list never shows a key', async () => {
    const data = makeTempDir()
    const added = await kanso(['apikey', 'add', '--name', 'Website form', '--role', 'editor', '--data', data])
    expect(added.code).toBe(0)
    const key = /Key \(shown only once\): (\S+)/.exec(added.stdout)?.[1]
    expect(key).toMatch(/^kanso_[A-Za-z0-9_-]{43}$/)
    const list = await kanso(['apikey', 'list', '--data', data])
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+REVOKED$/)
    expect(list.stdout).toMatch(/Website form\s+editor\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-/)
    expect(list.stdout).not.toContain(key?.slice(6))
    expect((await kanso(['apikey', 'revoke', 'website form', '--data', data])).stdout).toMatch(/Revoked editor API key "Website form"/)
    expect((await kanso(['apikey', 'revoke', 'Website form', '--data', data])).stdout).toMatch(/already revoked/)
    expect((await kanso(['apikey', 'list', '--data', data])).stdout).toMatch(/Website form\s+editor\s+\S+ \S+\s+\d{4}-\d\d-\d\d/)
    const missing = await kanso(['apikey', 'revoke', 'nobody', '--data', data])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no API key with id or name "nobody" \(see: kanso apikey list\)/)
    const badRole = await kanso(['apikey', 'add', '--name', 'X', '--role', 'owner', '--data', data])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toMatch(/role must be one of admin, editor, viewer/)
  })

  it('member commands use KANSO_DATA when --data is absent', async () => {
    const data = makeTempDir()
    await kanso(['member', 'add', '--name', 'Env', '--role', 'admin'], { KANSO_DATA: data })
    expect((await kanso(['member', 'list', '--data', data])).stdout).toMatch(/Env\s+admin/)
  })

  it('explains bad flags and roles and exits with status 2', async () => {
    const data = makeTempDir()
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['member', 'add', '--name', 'X', '--role', 'owner', '--data', data], {}, /role must be one of admin, editor, viewer \(got "owner"\)/],
      [['member', 'add', '--name', 'X', '--data', data], {}, /member add needs --role/],
      [['member', 'add', '--name', '', '--role', 'viewer', '--data', data], {}, /name must not be empty/],
      [['member', 'revoke', '--data', data], {}, /exactly one <id-or-name>/],
      [['member', 'fire'], {}, /unknown member command "fire"/],
      [['serve', '--prot', '1'], {}, /Unknown option '--prot'/],
      [['serve', '--port', 'http'], {}, /--port must be a port number/],
      [['serve', '--data', data], { PORT: '99999' }, /PORT must be a port number/],
      [['serve', '--data', data], { KANSO_PUBLIC_URL: 'example.com' }, /KANSO_PUBLIC_URL must be an absolute/],
      [['launch'], {}, /unknown command "launch"/],
    ]
    for (const [args, env, message] of cases) {
      const result = await kanso(args, env)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.stderr).toMatch(/kanso --help/)
    }
    const help = await kanso(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/kanso member add --name NAME --role admin\|editor\|viewer/)
  })

  it('`npx kanso member list` runs the project’s own bin from the project root', async () => {
    const data = makeTempDir()
    await kanso(['member', 'add', '--name', 'Npx Person', '--role', 'viewer', '--data', data])
    // --no-install: never fetch a package called "kanso" from the registry
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'kanso', 'member', 'list', '--data', data], { cwd: ROOT })
    expect(stdout).toMatch(/Npx Person\s+viewer/)
  })

  it('serve prints the generated admin link on first start, the invite hint later, and stops on SIGTERM', async () => {
    const data = makeTempDir()
    const noToken = { KANSO_ADMIN_TOKEN: '' }
    const first = await spawnRelay(data, noToken)
    expect(first.output()).toMatch(/Kanso relay listening on http:\/\/localhost:\d+ \(data: .*kanso\.sqlite\)/)
    expect(first.output()).toMatch(/http:\/\/localhost:\d+\/#token=[A-Za-z0-9_-]{43}/)
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve))
    first.child.kill('SIGTERM')
    expect(await exited).toBe(0)

    const second = await spawnRelay(data, noToken)
    expect(second.output()).not.toMatch(/#token=/)
    expect(second.output()).toMatch(/npx kanso member add --name/)
    const exitedAgain = new Promise<number | null>((resolve) => second.child.once('exit', resolve))
    second.child.kill('SIGINT')
    expect(await exitedAgain).toBe(0)
  })
})
