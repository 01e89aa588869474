import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Member, Role } from '../auth/member'
import type { RelayStorage, StoredMember, StoredRow } from './relayStorage'

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
  // Each document's log as its base row (the first one; after compaction the merged log) plus
  // the rows appended since, clustered by document: an append touches one page per document and
  // compaction deletes a contiguous run of rows instead of rows scattered among every other
  // document's. The state vector of a base row is kept beside it, so loading a big document
  // never recomputes it and recording it never rewrites the row.
  `
  ALTER TABLE updates RENAME TO updates_v1;
  CREATE TABLE documents (
    doc TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE TABLE updates (
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc, seq)
  ) WITHOUT ROWID;
  CREATE TABLE state_vectors (
    doc TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    state_vector BLOB NOT NULL
  );
  INSERT INTO documents (doc, seq, data) SELECT doc, id, data FROM updates_v1 WHERE id IN (SELECT min(id) FROM updates_v1 GROUP BY doc);
  INSERT INTO updates (doc, seq, data) SELECT doc, id, data FROM updates_v1 WHERE id NOT IN (SELECT min(id) FROM updates_v1 GROUP BY doc);
  DROP TABLE updates_v1;
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

export interface SqliteStorageOptions {
  /**
   * Let SQLite copy the write-ahead log into the database on commit (its default). The relay's
   * threads turn it off and have a document worker call `checkpoint()` instead, so no commit
   * pays for copying megabytes of log.
   */
  autoCheckpoint?: boolean
}

/**
 * RelayStorage in one SQLite file. WAL with synchronous=NORMAL: a committed write is in the WAL
 * file before `appendUpdate` returns, so it survives `kill -9` of the process (not necessarily
 * a power cut). Several processes and threads may open the file at once (the CLI edits members
 * while the relay runs; the relay's worker threads load and compact big documents).
 */
export function createSqliteStorage(file: string, options: SqliteStorageOptions = {}): RelayStorage {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file, { timeout: 5000 })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0')
  migrate(db)

  interface BaseRow { seq: number; data: Buffer; sv_seq: number | null; state_vector: Buffer | null }
  const selectBase = db.prepare<[string], BaseRow>(
    'SELECT d.seq, d.data, s.seq AS sv_seq, s.state_vector FROM documents d LEFT JOIN state_vectors s ON s.doc = d.doc WHERE d.doc = ?',
  )
  const selectTail = db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE doc = ? ORDER BY seq')
  const selectStateVector = db.prepare<[string], { seq: number; state_vector: Buffer }>('SELECT seq, state_vector FROM state_vectors WHERE doc = ?')
  // length() of a blob comes from the record header: the blob itself is not read.
  const selectSize = db.prepare<{ doc: string }, { rows: number; bytes: number }>(
    `SELECT (SELECT count(*) FROM documents WHERE doc = @doc) + (SELECT count(*) FROM updates WHERE doc = @doc) AS rows,
            coalesce((SELECT length(data) FROM documents WHERE doc = @doc), 0) + coalesce((SELECT sum(length(data)) FROM updates WHERE doc = @doc), 0) AS bytes`,
  )
  const selectLastSeq = db.prepare<{ doc: string }, { seq: number }>(
    'SELECT max(coalesce((SELECT max(seq) FROM updates WHERE doc = @doc), 0), coalesce((SELECT seq FROM documents WHERE doc = @doc), 0)) AS seq',
  )
  // Seqs count per document, after the base row and every row appended since.
  const insertUpdate = db.prepare<{ doc: string; data: Buffer }, { seq: number }>(
    `INSERT INTO updates (doc, seq, data)
     VALUES (@doc, coalesce((SELECT max(seq) FROM updates WHERE doc = @doc), (SELECT seq FROM documents WHERE doc = @doc), 0) + 1, @data)
     RETURNING seq`,
  )
  const selectRow = db.prepare<{ doc: string; seq: number }, { found: number }>(
    'SELECT 1 AS found FROM documents WHERE doc = @doc AND seq = @seq UNION ALL SELECT 1 FROM updates WHERE doc = @doc AND seq = @seq',
  )
  const deleteUpTo = db.prepare<[string, number]>('DELETE FROM updates WHERE doc = ? AND seq <= ?')
  const upsertBase = db.prepare<[string, number, Buffer]>(
    'INSERT INTO documents (doc, seq, data) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data',
  )
  const upsertStateVector = db.prepare<[string, number, Buffer]>(
    'INSERT INTO state_vectors (doc, seq, state_vector) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, state_vector = excluded.state_vector',
  )
  const deleteStateVector = db.prepare<[string]>('DELETE FROM state_vectors WHERE doc = ?')
  const selectDocuments = db.prepare<[], { doc: string }>('SELECT doc FROM documents UNION SELECT doc FROM updates ORDER BY doc')

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

  const loadRows = db.transaction((name: string): StoredRow[] => {
    const base = selectBase.get(name)
    const rows: StoredRow[] = []
    if (base) rows.push({ seq: base.seq, update: asBytes(base.data), stateVector: base.state_vector && base.sv_seq === base.seq ? asBytes(base.state_vector) : null })
    for (const row of selectTail.all(name)) rows.push({ seq: row.seq, update: asBytes(row.data), stateVector: null })
    // A log never compacted: its first row is the base, and may have its state vector too.
    const first = rows[0]
    if (!base && first) {
      const stored = selectStateVector.get(name)
      if (stored && stored.seq === first.seq) first.stateVector = asBytes(stored.state_vector)
    }
    return rows
  })
  const compact = db.transaction((name: string, merged: Uint8Array, upToSeq: number, stateVector: Uint8Array | null) => {
    if (!selectRow.get({ doc: name, seq: upToSeq })) throw new Error(`compact: document "${name}" has no row with seq ${upToSeq}`)
    deleteUpTo.run(name, upToSeq)
    upsertBase.run(name, upToSeq, asBlob(merged))
    if (stateVector) upsertStateVector.run(name, upToSeq, asBlob(stateVector))
    else deleteStateVector.run(name)
  })
  const append = (name: string, update: Uint8Array): number => (insertUpdate.get({ doc: name, data: asBlob(update) }) as { seq: number }).seq
  const appendBatch = db.transaction((entries: ReadonlyArray<{ name: string; update: Uint8Array }>): number[] => entries.map(({ name, update }) => append(name, update)))
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
    file,
    loadDocument: (name) => loadRows(name).map((row) => row.update),
    loadRows,
    documentSize: (name) => {
      const row = selectSize.get({ doc: name })
      return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 }
    },
    lastSeq: (name) => selectLastSeq.get({ doc: name })?.seq ?? 0,
    appendUpdate: (name, update) => append(name, update),
    appendUpdates: (entries) => (entries.length === 0 ? [] : appendBatch.immediate(entries)),
    compact: (name, merged, upToSeq, stateVector) => compact(name, merged, upToSeq, stateVector ?? null),
    storeStateVector: (name, seq, stateVector) => {
      upsertStateVector.run(name, seq, asBlob(stateVector))
    },
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
    checkpoint: () => {
      db.pragma('wal_checkpoint(PASSIVE)')
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
