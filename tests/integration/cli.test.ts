import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { makeTempDir, removeTempDirs, ROOT, runKanso, spawnRelay } from './relayTestKit'

afterAll(removeTempDirs)

describe('kanso CLI', () => {
  it('adds, lists and revokes members on the data directory', async () => {
    const data = makeTempDir()
    const added = await runKanso(['member', 'add', '--name', 'Alice Smith', '--role', 'editor', '--data', data], { KANSO_PUBLIC_URL: 'https://crm.example.com/' })
    expect(added.code).toBe(0)
    const token = /Token \(shown only once\): (\S+)/.exec(added.stdout)?.[1]
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(added.stdout).toContain(`Invite link: https://crm.example.com/#token=${token}`)

    const list = await runKanso(['member', 'list', '--data', data])
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+REVOKED$/)
    expect(list.stdout).toMatch(/Alice Smith\s+editor\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-/)

    const revoked = await runKanso(['member', 'revoke', 'Alice Smith', '--data', data])
    expect(revoked.code).toBe(0)
    const storage = createSqliteStorage(`${data}/kanso.sqlite`)
    expect(storage.listMembers()[0]?.revokedAt).toEqual(expect.any(String))
    storage.close()
    const again = await runKanso(['member', 'revoke', 'nobody', '--data', data])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/no member with id or name "nobody"/)
  })

  it('explains bad flags and roles and exits with status 2', async () => {
    const data = makeTempDir()
    const [badRole, badFlag, badPort, badEnv, help] = await Promise.all([
      runKanso(['member', 'add', '--name', 'X', '--role', 'owner', '--data', data]),
      runKanso(['serve', '--prot', '1']),
      runKanso(['serve', '--port', 'http']),
      runKanso(['serve', '--data', data], { PORT: '99999' }),
      runKanso(['--help']),
    ])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toMatch(/role must be one of admin, editor, viewer \(got "owner"\)/)
    expect(badFlag.code).toBe(2)
    expect(badFlag.stderr).toMatch(/Unknown option '--prot'/)
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toMatch(/--port must be a port number/)
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toMatch(/PORT must be a port number/)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/kanso member add --name NAME --role admin\|editor\|viewer/)
  })

  it('`npx kanso member list` runs the project’s own bin from the project root', async () => {
    const data = makeTempDir()
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'kanso', 'member', 'list', '--data', data], { cwd: ROOT })
    expect(stdout).toMatch(/No members yet/)
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
