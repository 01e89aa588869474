import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { afterAll, describe, expect, it } from 'vitest'
import { DROPPED_TABLES, KEPT_TABLES } from '../../server/backup/backupFormat'
import { readBackupInfo } from '../../server/backup/restoreBackup'
import { pruneBackups } from '../../server/backup/backupSchedule'
import { createApiKey } from '../../server/auth/createApiKey'
import { createMember } from '../../server/auth/createMember'
import { CLOSE_WORKSPACE_RESTORED } from '../../server/closeCodes'
import { runCli } from '../../server/runCli'
import { createSqliteStorage } from '../../server/storage/sqliteStorage'
import { UpdateLog } from '../../server/storage/updateLog'
import { writeBackupFile } from '../../server/backup/writeBackupFile'
import { api, ADMIN_TOKEN, cell, connectClient, makeTempDir, removeTempDirs, seedWithEntities, setCell, startTestRelay, waitFor } from './relayTestKit'

afterAll(removeTempDirs)

async function kanso(args: string[], env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

/** Every stored document of the SQLite file in `dir`, each as one Yjs update of its whole state. */
function documentStates(dir: string): Map<string, Uint8Array> {
  const storage = createSqliteStorage(join(dir, 'kanso.sqlite'))
  try {
    const states = new Map<string, Uint8Array>()
    for (const name of storage.listDocuments().sort()) {
      const doc = new Y.Doc()
      for (const update of storage.loadDocument(name)) Y.applyUpdate(doc, update)
      states.set(name, Y.encodeStateAsUpdate(doc))
      doc.destroy()
    }
    return states
  } finally {
    storage.close()
  }
}

function tablesOf(file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name).sort()
  } finally {
    db.close()
  }
}

const seed = seedWithEntities('t')

describe('backups (issue 18)', () => {
  it('backup → restore on a fresh relay: identical documents, members and API keys; the file says what it is', async () => {
    const dataA = makeTempDir()
    const relayA = await startTestRelay({ dataDir: dataA, seedSchema: seed })
    const editor = createMember(relayA.storage, { name: 'Eve Editor', role: 'editor' })
    const key = createApiKey(relayA.storage, { name: 'Zapier', role: 'editor' })
    for (const name of ['Ann', 'Bob', 'Cy']) expect((await api(relayA.url, '/contacts', { method: 'POST', body: { last_name: name } })).status).toBe(201)
    const client = connectClient(relayA.syncUrl, 'entity-t', ADMIN_TOKEN)
    await client.synced
    setCell(client.doc, 'r1', 'kept')
    setCell(client.doc, 'r2', 'also kept')
    await waitFor(() => relayA.storage.lastSeq('entity-t') > 0, 'the edits stored')

    const viaHttp = await fetch(`${relayA.url}/api/v1/backup`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(viaHttp.status).toBe(200)
    expect(viaHttp.headers.get('content-disposition')).toMatch(/attachment; filename="kanso-backup-\d{4}-.*Z\.sqlite"/)
    const downloaded = join(makeTempDir(), 'downloaded.sqlite')
    writeFileSync(downloaded, Buffer.from(await viaHttp.arrayBuffer()))
    expect(readBackupInfo(downloaded)).toMatchObject({ format: 'kanso-backup', version: 1, epoch: relayA.epoch })
    expect((await fetch(`${relayA.url}/api/v1/backup`, { headers: { authorization: `Bearer ${editor.token}` } })).status).toBe(403)
    expect((await api(relayA.url, '/workspace/epoch', { token: editor.token })).body).toEqual({ epoch: relayA.epoch })
    expect(Object.keys((await api(relayA.url, '/openapi.json')).body.paths)).toEqual(expect.arrayContaining(['/backup', '/export.zip', '/workspace/epoch']))

    const file = join(makeTempDir(), 'workspace.sqlite')
    const taken = await relayA.backup(file)
    expect(taken.documents).toBeGreaterThanOrEqual(3)
    client.destroy()
    await relayA.close()
    // every table of the relay's file is either copied or left out on purpose
    for (const table of tablesOf(join(dataA, 'kanso.sqlite'))) expect(Object.keys({ ...KEPT_TABLES, ...DROPPED_TABLES }), table).toContain(table)
    expect(tablesOf(file)).toContain('kanso_backup')
    // each document is one merged row in the backup
    const copy = new Database(file, { readonly: true })
    expect(copy.prepare('SELECT count(*) AS n FROM updates').get()).toEqual({ n: 0 })
    expect((copy.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n).toBe(taken.documents)
    copy.close()

    const dataB = makeTempDir()
    const restored = await kanso(['restore', file, '--data', dataB])
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/Restored \d+ documents from .* the workspace's new epoch is \S+\./)
    const statesA = documentStates(dataA)
    const statesB = documentStates(dataB)
    expect([...statesB.keys()]).toEqual([...statesA.keys()])
    for (const [name, state] of statesA) expect(Buffer.from(statesB.get(name) as Uint8Array).equals(Buffer.from(state)), name).toBe(true)

    const relayB = await startTestRelay({ dataDir: dataB, seedSchema: seed })
    try {
      expect(relayB.epoch).not.toBe(relayA.epoch)
      expect(relayB.storage.listMembers()).toEqual(createSqliteStorage(join(dataA, 'kanso.sqlite')).listMembers())
      expect(relayB.storage.listApiKeys().map((k) => k.name)).toEqual(['Zapier'])
      // the hashed tokens came along: the same token and key sign in
      expect((await api(relayB.url, '/contacts', { token: editor.token })).body.data.map((c: { last_name: string }) => c.last_name).sort()).toEqual(['Ann', 'Bob', 'Cy'])
      expect((await api(relayB.url, '/contacts', { token: key.key })).status).toBe(200)
      const reader = connectClient(relayB.syncUrl, 'entity-t', ADMIN_TOKEN)
      await reader.synced
      expect([cell(reader.doc, 'r1'), cell(reader.doc, 'r2')]).toEqual(['kept', 'also kept'])
      reader.destroy()
    } finally {
      await relayB.close()
    }
  })

  it('a browser offline during a restore is told to reload (4409) and rejoins without resurrecting or duplicating records', async () => {
    const data = makeTempDir()
    const relay = await startTestRelay({ dataDir: data, seedSchema: seed })
    const epoch = relay.epoch
    const browser = connectClient(relay.syncUrl, 'entity-t', ADMIN_TOKEN)
    browser.provider.disconnect()
    ;(browser.provider as unknown as { params: Record<string, string> }).params.epoch = epoch
    browser.provider.connect()
    await browser.synced
    setCell(browser.doc, 'old', 'before the backup')
    await waitFor(() => relay.storage.lastSeq('entity-t') > 0, 'the record stored')
    const file = join(makeTempDir(), 'b.sqlite')
    await relay.backup(file)
    // after the backup: a record made and the old one deleted, then the browser goes offline
    setCell(browser.doc, 'new', 'after the backup')
    browser.doc.transact(() => browser.doc.getMap('records').delete('old'))
    const stored = relay.storage.lastSeq('entity-t')
    await waitFor(() => relay.storage.lastSeq('entity-t') > stored, 'the later edits stored')
    browser.provider.disconnect()
    await relay.close()

    expect((await kanso(['restore', file, '--data', data])).code).toBe(0)
    const again = await startTestRelay({ dataDir: data, seedSchema: seed, port: relay.port })
    try {
      expect(again.epoch).not.toBe(epoch)
      const closes: Array<{ code: number; reason: string }> = []
      browser.provider.on('connection-close', (event: CloseEvent | null) => {
        if (event) closes.push({ code: event.code, reason: event.reason })
      })
      browser.provider.connect()
      await waitFor(() => closes.length > 0, 'the stale browser closed')
      expect(closes[0]).toEqual({ code: CLOSE_WORKSPACE_RESTORED, reason: `workspace restored: epoch ${again.epoch}` })
      // nothing of its state reached the relay: a fresh reader sees the backup's records
      const reader = connectClient(again.syncUrl, 'entity-t', ADMIN_TOKEN)
      await reader.synced
      expect([cell(reader.doc, 'old'), cell(reader.doc, 'new')]).toEqual(['before the backup', undefined])
      // the browser drops its copy and loads the workspace under the new epoch
      browser.destroy()
      const reloaded = connectClient(again.syncUrl, 'entity-t', ADMIN_TOKEN)
      reloaded.provider.disconnect()
      ;(reloaded.provider as unknown as { params: Record<string, string> }).params.epoch = again.epoch
      reloaded.provider.connect()
      await reloaded.synced
      expect([...reloaded.doc.getMap('records').keys()]).toEqual(['old'])
      expect([...reader.doc.getMap('records').keys()]).toEqual(['old'])
      reader.destroy()
      reloaded.destroy()
    } finally {
      await again.close()
    }
  })

  it('backs up on a schedule into KANSO_BACKUP_DIR and keeps the newest N', async () => {
    const dir = makeTempDir()
    writeFileSync(join(dir, 'notes.txt'), 'not a backup')
    const relay = await startTestRelay({ seedSchema: seed, backups: { dir, everyMs: 150, keep: 2 } })
    try {
      await waitFor(() => relay.logger.lines.filter((l) => l.includes('backup: wrote')).length >= 4, 'four scheduled backups', 20_000)
    } finally {
      await relay.close()
    }
    const names = readdirSync(dir).sort()
    expect(names.filter((n) => n.endsWith('.sqlite'))).toHaveLength(2)
    expect(names).toContain('notes.txt')
    for (const name of names.filter((n) => n.endsWith('.sqlite'))) expect(readBackupInfo(join(dir, name)).epoch).toBe(relay.epoch)
    expect(relay.logger.lines.some((l) => /deleted 1 older/.test(l))).toBe(true)
    expect(pruneBackups(dir, 1)).toHaveLength(1)
    expect(readdirSync(dir).filter((n) => n.endsWith('.sqlite'))).toHaveLength(1)
  }, 30_000)

  it('kanso backup and kanso restore: by hand, refusing a running relay and files that are not backups', async () => {
    const data = makeTempDir()
    const relay = await startTestRelay({ dataDir: data, seedSchema: seed })
    const backups = makeTempDir()
    const whileRunning = await kanso(['backup', '--data', data], { KANSO_BACKUP_DIR: backups })
    expect(whileRunning.stderr).toBe('')
    expect(whileRunning.stdout).toMatch(/Backed up \d+ documents of .* to .*kanso-backup-.*\.sqlite \(\d+ bytes\)\./)
    const [name] = readdirSync(backups)
    const refused = await kanso(['restore', join(backups, name as string), '--data', data])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/a relay \(pid \d+\) is running on .*: stop it, then restore/)
    await relay.close()
    expect((await kanso(['backup', '--data', data])).code).toBe(2)
    expect((await kanso(['backup', '--data', data])).stderr).toMatch(/needs a FILE or KANSO_BACKUP_DIR/)
    expect((await kanso(['backup', join(backups, 'x.sqlite'), '--data', makeTempDir()])).code).toBe(1)
    const notBackup = await kanso(['restore', join(data, 'kanso.sqlite'), '--data', makeTempDir()])
    expect(notBackup.code).toBe(1)
    expect(notBackup.stderr).toMatch(/is not a Kanso backup/)
    const target = makeTempDir()
    expect((await kanso(['restore', join(backups, name as string), '--data', target])).code).toBe(0)
    expect(existsSync(join(target, 'kanso.sqlite'))).toBe(true)
    expect(existsSync(join(backups, `${name}.partial`))).toBe(false)
  })

  it('GET /api/v1/export.zip: one CSV per entity and the schema, readable without Kanso, formulas neutralised (admins only)', async () => {
    const relay = await startTestRelay()
    try {
      const company = await api(relay.url, '/companies', { method: 'POST', body: { name: 'Acme, Inc.' } })
      expect(company.status).toBe(201)
      expect((await api(relay.url, '/contacts', { method: 'POST', body: { first_name: '=HYPERLINK("http://x")', last_name: 'Lee', company: company.body.id } })).status).toBe(201)
      expect((await api(relay.url, '/deals', { method: 'POST', body: { title: 'Big', amount: '1 234,50 €' } })).status).toBe(201)
      const editor = createMember(relay.storage, { name: 'Ed', role: 'editor' })
      expect((await fetch(`${relay.url}/api/v1/export.zip`, { headers: { authorization: `Bearer ${editor.token}` } })).status).toBe(403)
      const res = await fetch(`${relay.url}/api/v1/export.zip?locale=de-DE`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/zip')
      const file = join(makeTempDir(), 'export.zip')
      writeFileSync(file, Buffer.from(await res.arrayBuffer()))
      // unzip checks every file's CRC; -p prints one file
      expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/)
      const names = execFileSync('zipinfo', ['-1', file], { encoding: 'utf8' }).trim().split('\n')
      expect(names).toEqual(expect.arrayContaining(['schema.json', 'contacts.csv', 'companies.csv', 'deals.csv']))
      const schema = JSON.parse(execFileSync('unzip', ['-p', file, 'schema.json'], { encoding: 'utf8' })) as { entities: Array<{ key: string }> }
      expect(names.filter((n) => n.endsWith('.csv')).sort()).toEqual(schema.entities.map((e) => `${e.key}.csv`).sort())
      const contacts = execFileSync('unzip', ['-p', file, 'contacts.csv'], { encoding: 'utf8' }).split('\r\n')
      expect(contacts[0]).toMatch(/^\uFEFFid,/)
      expect(contacts[1]).toContain(`"'=HYPERLINK(""http://x"")"`)
      expect(contacts[1]).toContain(`"Acme, Inc.",${company.body.id}`)
      const deals = execFileSync('unzip', ['-p', file, 'deals.csv'], { encoding: 'utf8' })
      expect(deals).toContain('1.234,50')
    } finally {
      await relay.close()
    }
  })

  it('holds the rows still in the update log of a relay killed before folding them, and leaves that log alone', async () => {
    const data = makeTempDir()
    const dataFile = join(data, 'kanso.sqlite')
    createSqliteStorage(dataFile).close()
    const doc = new Y.Doc()
    doc.getMap('records').set('r1', new Y.Map([['v', 'only in the log']]))
    const log = new UpdateLog(dataFile)
    log.append([{ name: 'entity-t', seq: 7, update: Y.encodeStateAsUpdate(doc) }])
    log.close()
    const file = join(makeTempDir(), 'b.sqlite')
    expect(writeBackupFile(dataFile, file).documents).toBe(1)
    expect(readdirSync(data).filter((n) => n.includes('-updates-'))).toHaveLength(1)
    const restored = makeTempDir()
    expect((await kanso(['restore', file, '--data', restored])).code).toBe(0)
    const states = documentStates(restored)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, states.get('entity-t') as Uint8Array)
    expect(cell(copy, 'r1')).toBe('only in the log')
  })
})
