import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Member, Role } from '../auth/member'
import type { RelayStorage, StoredMember } from './relayStorage'

/** The relay's database file inside its data directory. */
export const SQLITE_FILE_NAME = 'kanso.sqlite'

const MIGRATIONS: string[] = [
  `
  CREATE TABLE updates (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX updates_doc ON updates (doc, id);
  CREATE TABLE members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO meta (key, value) VALUES ('members_version', 0);
  CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);
  `,
]

interface MemberRow {
  id: string
  name: string
  role: Role
  created_at: string
  revoked_at: string | null
}

function toMember(row: MemberRow): Member {
  const member: Member = { id: row.id, name: row.name, role: row.role, createdAt: row.created_at }
  if (row.revoked_at !== null) member.revokedAt = row.revoked_at
  return member
}

const asBytes = (blob: Buffer): Uint8Array => new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength)
const asBlob = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/**
 * RelayStorage in one SQLite file. WAL with synchronous=NORMAL: a committed write is in the WAL
 * file before `appendUpdate` returns, so it survives `kill -9` of the process (not necessarily
 * a power cut). Several processes may open the file at once (the CLI edits members while the
 * relay runs).
 */
export function createSqliteStorage(file: string): RelayStorage {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  migrate(db)

  const selectUpdates = db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE doc = ? ORDER BY id')
  const selectLastSeq = db.prepare<[string], { seq: number | null }>('SELECT max(id) AS seq FROM updates WHERE doc = ?')
  const insertUpdate = db.prepare<[string, Buffer]>('INSERT INTO updates (doc, data) VALUES (?, ?)')
  const selectRow = db.prepare<[string, number], { id: number }>('SELECT id FROM updates WHERE doc = ? AND id = ?')
  const deleteUpTo = db.prepare<[string, number]>('DELETE FROM updates WHERE doc = ? AND id <= ?')
  const insertAt = db.prepare<[number, string, Buffer]>('INSERT INTO updates (id, doc, data) VALUES (?, ?, ?)')
  const selectDocuments = db.prepare<[], { doc: string }>('SELECT DISTINCT doc FROM updates ORDER BY doc')

  const memberColumns = 'id, name, role, created_at, revoked_at'
  const insertMember = db.prepare<[string, string, string, string, string, string | null]>(
    'INSERT INTO members (id, name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const selectMembers = db.prepare<[], MemberRow>(`SELECT ${memberColumns} FROM members ORDER BY created_at, id`)
  const selectMember = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE id = ?`)
  const selectByHash = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE token_hash = ?`)
  const updateRevoked = db.prepare<[string, string]>('UPDATE members SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const bumpVersion = db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'members_version'")
  const selectVersion = db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'members_version'")
  const touchHealth = db.prepare<[string]>(
    'INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
  )

  const compact = db.transaction((name: string, merged: Uint8Array, upToSeq: number) => {
    if (!selectRow.get(name, upToSeq)) throw new Error(`compact: document "${name}" has no row with seq ${upToSeq}`)
    deleteUpTo.run(name, upToSeq)
    insertAt.run(upToSeq, name, asBlob(merged))
  })
  const addMember = db.transaction((m: StoredMember) => {
    insertMember.run(m.id, m.name, m.role, m.tokenHash, m.createdAt, m.revokedAt ?? null)
    bumpVersion.run()
  })
  const revokeMember = db.transaction((id: string, revokedAt: string): Member | null => {
    if (updateRevoked.run(revokedAt, id).changes > 0) bumpVersion.run()
    const row = selectMember.get(id)
    return row ? toMember(row) : null
  })

  return {
    loadDocument: (name) => selectUpdates.all(name).map((row) => asBytes(row.data)),
    lastSeq: (name) => selectLastSeq.get(name)?.seq ?? 0,
    appendUpdate: (name, update) => Number(insertUpdate.run(name, asBlob(update)).lastInsertRowid),
    compact: (name, merged, upToSeq) => compact(name, merged, upToSeq),
    listDocuments: () => selectDocuments.all().map((row) => row.doc),
    addMember: (member) => addMember(member),
    listMembers: () => selectMembers.all().map(toMember),
    getMember: (id) => {
      const row = selectMember.get(id)
      return row ? toMember(row) : null
    },
    findMemberByTokenHash: (tokenHash) => {
      const row = selectByHash.get(tokenHash)
      return row ? toMember(row) : null
    },
    revokeMember: (id, revokedAt) => revokeMember(id, revokedAt),
    membersVersion: () => selectVersion.get()?.value ?? 0,
    checkWritable: () => {
      touchHealth.run(new Date().toISOString())
    },
    close: () => {
      if (db.open) db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  // Read the version inside the write lock: the CLI and the relay may start at the same moment.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this relay understands (${MIGRATIONS.length}); upgrade Kanso`)
    }
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version] ?? '')
    if (current < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}
