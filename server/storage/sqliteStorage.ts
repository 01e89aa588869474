import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { ApiKey } from '../auth/apiKey'
import type { Member, MemberProfile, Role } from '../auth/member'
import type { PhoneScheme } from '../../src/domain/cellLinkHref'
import type { HistoryEntry, HistoryKind, HistoryVia } from '../../src/domain/history/historyEntry'
import type { FieldValue } from '../../src/domain/schema'
import { formatDocumentNumber, type DealDocumentKind, type NumberAssignment } from '../../src/domain/deals/dealDocuments'
import type { RelayStorage, StoredApiKey, StoredMember, StoredRow, UpdateLogHandle } from './relayStorage'
import { recoverUpdateLog, UpdateLog, type LogFile, type SeqRow } from './updateLog'

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
  // The live rows of each entity document as the browser paints them (server/snapshots), kept
  // so a restarted relay answers first visits at once; `seq` is the document's last seq they reflect.
  `
  CREATE TABLE row_snapshots (
    doc TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  `,
  // API keys (issue 13): like members, only the key's hash is kept.
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  `,
  // How a phone system names a member in POST /api/v1/calls, and how their phone links dial (issue 13).
  `
  ALTER TABLE members ADD COLUMN email TEXT;
  ALTER TABLE members ADD COLUMN extension TEXT;
  ALTER TABLE members ADD COLUMN phone_scheme TEXT;
  `,
  // Quote and invoice numbers (issue 14): each issue id keeps the number it was given, and each
  // (kind, year) sequence its last seq, which only grows, so no number is handed out twice.
  `
  CREATE TABLE document_numbers (
    issue_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    UNIQUE (kind, year, seq)
  );
  CREATE TABLE document_counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
  );
  `,
  // The record history (issue 15): derived by the relay as it stores entity updates, read per
  // record newest first through the index (values as JSON text, null for none).
  `
  CREATE TABLE record_history (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    record TEXT NOT NULL,
    at TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_name TEXT NOT NULL,
    via TEXT NOT NULL,
    field TEXT,
    from_value TEXT,
    to_value TEXT,
    kind TEXT NOT NULL
  );
  CREATE INDEX record_history_by_record ON record_history (entity, record, at);
  `,
  // Time-based rules (issue 16): each (rule, record, trigger key) fires once, across restarts.
  `
  CREATE TABLE rule_firings (
    rule_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    trigger_key TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    PRIMARY KEY (rule_id, record_id, trigger_key)
  ) WITHOUT ROWID;
  `,
]

interface MemberRow {
  id: string
  name: string
  role: Role
  created_at: string
  revoked_at: string | null
}

interface MemberProfileRow extends MemberRow {
  email: string | null
  extension: string | null
  phone_scheme: PhoneScheme | null
}

function toApiKey(row: MemberRow): ApiKey {
  const key: ApiKey = { id: row.id, name: row.name, role: row.role, createdAt: row.created_at }
  if (row.revoked_at !== null) key.revokedAt = row.revoked_at
  return key
}

function toMember(row: MemberProfileRow): Member {
  const member: Member = { id: row.id, name: row.name, role: row.role, createdAt: row.created_at }
  if (row.revoked_at !== null) member.revokedAt = row.revoked_at
  if (row.email !== null) member.email = row.email
  if (row.extension !== null) member.extension = row.extension
  if (row.phone_scheme !== null) member.phoneScheme = row.phone_scheme
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
  // The (doc, seq) primary key skips a row stored already; a row not newer than the base row
  // was merged into it by a compaction.
  const putRow = db.prepare<{ doc: string; seq: number; data: Buffer }>(
    `INSERT OR IGNORE INTO updates (doc, seq, data)
     SELECT @doc, @seq, @data WHERE NOT EXISTS (SELECT 1 FROM documents WHERE doc = @doc AND seq >= @seq)`,
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
  const selectRowSnapshot = db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM row_snapshots WHERE doc = ?')
  const upsertRowSnapshot = db.prepare<[string, number, Buffer]>(
    'INSERT INTO row_snapshots (doc, seq, data) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data',
  )
  const selectDocuments = db.prepare<[], { doc: string }>('SELECT doc FROM documents UNION SELECT doc FROM updates ORDER BY doc')

  const memberColumns = 'id, name, role, created_at, revoked_at'
  const insertMember = db.prepare<[string, string, string, string, string, string | null]>(
    'INSERT INTO members (id, name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const profileColumns = `${memberColumns}, email, extension, phone_scheme`
  const selectMembers = db.prepare<[], MemberProfileRow>(`SELECT ${profileColumns} FROM members ORDER BY created_at, id`)
  const selectMember = db.prepare<[string], MemberProfileRow>(`SELECT ${profileColumns} FROM members WHERE id = ?`)
  const selectByHash = db.prepare<[string], MemberProfileRow>(`SELECT ${profileColumns} FROM members WHERE token_hash = ?`)
  const updateProfile = db.prepare<{ id: string; email: string | null; extension: string | null; phone_scheme: string | null; setEmail: number; setExtension: number; setScheme: number }>(
    `UPDATE members SET email = CASE WHEN @setEmail THEN @email ELSE email END,
       extension = CASE WHEN @setExtension THEN @extension ELSE extension END,
       phone_scheme = CASE WHEN @setScheme THEN @phone_scheme ELSE phone_scheme END
     WHERE id = @id`,
  )
  const updateRevoked = db.prepare<[string, string]>('UPDATE members SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const bumpVersion = db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'members_version'")
  const selectVersion = db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'members_version'")
  const insertApiKey = db.prepare<[string, string, string, string, string, string | null]>(
    'INSERT INTO api_keys (id, name, role, key_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const selectApiKeys = db.prepare<[], MemberRow>(`SELECT ${memberColumns} FROM api_keys ORDER BY created_at, id`)
  const selectApiKey = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM api_keys WHERE id = ?`)
  const selectApiKeyByHash = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM api_keys WHERE key_hash = ?`)
  const updateApiKeyRevoked = db.prepare<[string, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const selectDocumentNumber = db.prepare<[string], { kind: DealDocumentKind; year: number; seq: number; number: string }>(
    'SELECT kind, year, seq, number FROM document_numbers WHERE issue_id = ?',
  )
  const countDocument = db.prepare<[DealDocumentKind, number], { seq: number }>(
    'INSERT INTO document_counters (kind, year, seq) VALUES (?, ?, 1) ON CONFLICT (kind, year) DO UPDATE SET seq = seq + 1 RETURNING seq',
  )
  const insertDocumentNumber = db.prepare<[string, DealDocumentKind, number, number, string]>(
    'INSERT INTO document_numbers (issue_id, kind, year, seq, number) VALUES (?, ?, ?, ?, ?)',
  )
  const insertRuleFiring = db.prepare<[string, string, string, string]>(
    'INSERT INTO rule_firings (rule_id, record_id, trigger_key, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  const selectRuleFiring = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM rule_firings WHERE rule_id = ? AND record_id = ? AND trigger_key = ?',
  )
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
  const putRows = db.transaction((rows: ReadonlyArray<{ name: string; seq: number; update: Uint8Array }>) => {
    for (const row of rows) putRow.run({ doc: row.name, seq: row.seq, data: asBlob(row.update) })
  })
  interface HistoryRow {
    entity: string; record: string; at: string; member_id: string; member_name: string; via: string
    field: string | null; from_value: string | null; to_value: string | null; kind: string
  }
  const insertHistory = db.prepare<HistoryRow>(
    `INSERT INTO record_history (entity, record, at, member_id, member_name, via, field, from_value, to_value, kind)
     VALUES (@entity, @record, @at, @member_id, @member_name, @via, @field, @from_value, @to_value, @kind)`,
  )
  const selectHistory = db.prepare<[string, string, number], HistoryRow>(
    'SELECT * FROM record_history WHERE entity = ? AND record = ? ORDER BY at DESC, id DESC LIMIT ?',
  )
  const selectLastFieldWrite = db.prepare<[string, string, string], HistoryRow>(
    `SELECT * FROM record_history WHERE entity = ? AND record = ? AND field = ? AND kind != 'conflict' ORDER BY id DESC LIMIT 1`,
  )
  const deleteRecordHistory = db.prepare<[string, string]>('DELETE FROM record_history WHERE entity = ? AND record = ?')
  const forgetHistory = db.transaction((entityId: string, recordIds: readonly string[]) =>
    recordIds.reduce((n, id) => n + deleteRecordHistory.run(entityId, id).changes, 0))
  const appendHistory = db.transaction((entries: readonly HistoryEntry[]) => {
    for (const e of entries) {
      insertHistory.run({
        entity: e.entityId, record: e.recordId, at: e.at, member_id: e.memberId, member_name: e.memberName, via: e.via,
        field: e.fieldId, from_value: e.from === null ? null : JSON.stringify(e.from), to_value: e.to === null ? null : JSON.stringify(e.to), kind: e.kind,
      })
    }
  })
  const toHistoryEntry = (r: HistoryRow): HistoryEntry => ({
    entityId: r.entity, recordId: r.record, at: r.at, memberId: r.member_id, memberName: r.member_name, via: r.via as HistoryVia,
    fieldId: r.field, from: r.from_value === null ? null : (JSON.parse(r.from_value) as FieldValue), to: r.to_value === null ? null : (JSON.parse(r.to_value) as FieldValue),
    kind: r.kind as HistoryKind,
  })
  const assignDocumentNumber = db.transaction((issueId: string, kind: DealDocumentKind, year: number): NumberAssignment => {
    const known = selectDocumentNumber.get(issueId)
    if (known) return { issueId, ...known }
    const { seq } = countDocument.get(kind, year)!
    const number = formatDocumentNumber(kind, year, seq)
    insertDocumentNumber.run(issueId, kind, year, seq, number)
    return { issueId, kind, year, seq, number }
  })
  const addMember = db.transaction((m: StoredMember) => {
    insertMember.run(m.id, m.name, m.role, m.tokenHash, m.createdAt, m.revokedAt ?? null)
    bumpVersion.run()
  })
  const updateMemberProfile = db.transaction((id: string, profile: MemberProfile): Member | null => {
    const changed = updateProfile.run({
      id,
      email: profile.email ?? null, setEmail: profile.email === undefined ? 0 : 1,
      extension: profile.extension ?? null, setExtension: profile.extension === undefined ? 0 : 1,
      phone_scheme: profile.phoneScheme ?? null, setScheme: profile.phoneScheme === undefined ? 0 : 1,
    }).changes
    if (changed > 0) bumpVersion.run()
    const row = selectMember.get(id)
    return row ? toMember(row) : null
  })
  const revokeMember = db.transaction((id: string, revokedAt: string): Member | null => {
    if (updateRevoked.run(revokedAt, id).changes > 0) bumpVersion.run()
    const row = selectMember.get(id)
    return row ? toMember(row) : null
  })

  // With the update log open (openUpdateLog), appends go to the log and wait there, readable
  // through this object, until the writer thread has them in SQLite.
  let log: UpdateLog | null = null
  /** Per document, logged rows not known to be in SQLite yet, in seq order. */
  const logged = new Map<string, SeqRow[]>()
  /** Per document, the last seq given out (known once this object numbered a row of it). */
  const lastSeqs = new Map<string, number>()
  const storedLastSeq = (name: string) => selectLastSeq.get({ doc: name })?.seq ?? 0
  const nextSeq = (name: string): number => {
    const seq = (lastSeqs.get(name) ?? storedLastSeq(name)) + 1
    lastSeqs.set(name, seq)
    return seq
  }
  const appendLogged = (updateLog: UpdateLog, entries: ReadonlyArray<{ name: string; update: Uint8Array }>, handedOver: boolean): number[] => {
    // kept until the writer thread has them in SQLite: a copy per row unless the bytes are handed over
    const rows = entries.map(({ name, update }): SeqRow => ({ name, seq: nextSeq(name), update: handedOver ? update : update.slice() }))
    updateLog.append(rows)
    for (const row of rows) {
      let list = logged.get(row.name)
      if (!list) logged.set(row.name, (list = []))
      list.push(row)
    }
    return rows.map((row) => row.seq)
  }
  /** Stored rows plus logged ones; a row may be in both for a moment (same seq: kept once). */
  const loadAllRows = (name: string): StoredRow[] => {
    const rows = loadRows(name)
    const extra = logged.get(name)
    if (!extra) return rows
    const stored = new Set(rows.map((row) => row.seq))
    for (const row of extra) if (!stored.has(row.seq)) rows.push({ seq: row.seq, update: row.update, stateVector: null })
    return rows.sort((a, b) => a.seq - b.seq)
  }
  /** Writes the document's logged rows into SQLite here and now (before a compaction on this connection). */
  const storeLogged = (name: string) => {
    const rows = logged.get(name)
    if (!rows) return
    putRows.immediate(rows)
    logged.delete(name)
  }

  const updateLogHandle = (updateLog: UpdateLog): UpdateLogHandle => ({
    reserveSeq: nextSeq,
    get pendingBytes() {
      return updateLog.pendingBytes
    },
    seal: () => updateLog.seal(),
    written(sealed: LogFile) {
      const done = new Set(sealed.rows)
      for (const name of new Set(sealed.rows.map((row) => row.name))) {
        const rest = logged.get(name)?.filter((row) => !done.has(row))
        if (rest && rest.length > 0) logged.set(name, rest)
        else logged.delete(name)
      }
      updateLog.remove(sealed)
    },
    hasLogged: (name) => logged.has(name),
  })

  return {
    file,
    openUpdateLog() {
      if (log) throw new Error('the update log is open already')
      // Rows a relay killed earlier logged but never wrote into SQLite: in before anything is numbered.
      const recovered = recoverUpdateLog(file, (rows) => putRows.immediate(rows))
      log = new UpdateLog(file)
      return { recovered, log: updateLogHandle(log) }
    },
    loadDocument: (name) => loadAllRows(name).map((row) => row.update),
    loadRows: loadAllRows,
    documentSize: (name) => {
      const row = selectSize.get({ doc: name })
      const size = { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 }
      for (const extra of logged.get(name) ?? []) {
        size.rows++
        size.bytes += extra.update.byteLength
      }
      return size
    },
    lastSeq: (name) => Math.max(storedLastSeq(name), logged.get(name)?.at(-1)?.seq ?? 0),
    appendUpdate: (name, update) => (log ? (appendLogged(log, [{ name, update }], false)[0] as number) : append(name, update)),
    appendUpdates: (entries, handedOver = false) => (entries.length === 0 ? [] : log ? appendLogged(log, entries, handedOver) : appendBatch.immediate(entries)),
    putRows: (rows) => {
      if (rows.length > 0) putRows.immediate(rows)
    },
    compact: (name, merged, upToSeq, stateVector) => {
      storeLogged(name)
      compact(name, merged, upToSeq, stateVector ?? null)
    },
    storeStateVector: (name, seq, stateVector) => {
      upsertStateVector.run(name, seq, asBlob(stateVector))
    },
    loadRowSnapshot: (name) => {
      const row = selectRowSnapshot.get(name)
      return row ? { seq: row.seq, bytes: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) } : null
    },
    saveRowSnapshot: (name, seq, bytes) => {
      upsertRowSnapshot.run(name, seq, asBlob(bytes))
    },
    listDocuments: () => [...new Set([...selectDocuments.all().map((row) => row.doc), ...logged.keys()])].sort(),
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
    updateMemberProfile: (id, profile) => updateMemberProfile(id, profile),
    membersVersion: () => selectVersion.get()?.value ?? 0,
    addApiKey: (key: StoredApiKey) => {
      insertApiKey.run(key.id, key.name, key.role, key.keyHash, key.createdAt, key.revokedAt ?? null)
    },
    listApiKeys: () => selectApiKeys.all().map(toApiKey),
    getApiKey: (id) => {
      const row = selectApiKey.get(id)
      return row ? toApiKey(row) : null
    },
    findApiKeyByHash: (keyHash) => {
      const row = selectApiKeyByHash.get(keyHash)
      return row ? toApiKey(row) : null
    },
    revokeApiKey: (id, revokedAt) => {
      updateApiKeyRevoked.run(revokedAt, id)
      const row = selectApiKey.get(id)
      return row ? toApiKey(row) : null
    },
    // immediate: the write lock before the read, so two connections cannot both miss the issue id and count it twice
    assignDocumentNumber: (issueId, kind, year) => assignDocumentNumber.immediate(issueId, kind, year),
    appendHistory: (entries) => {
      if (entries.length) appendHistory(entries)
    },
    readHistory: (entityId, recordId, limit) => selectHistory.all(entityId, recordId, limit).map(toHistoryEntry),
    forgetHistory: (entityId, recordIds) => (recordIds.length ? forgetHistory(entityId, recordIds) : 0),
    lastFieldWrite: (entityId, recordId, fieldId) => {
      const row = selectLastFieldWrite.get(entityId, recordId, fieldId)
      return row ? toHistoryEntry(row) : null
    },
    recordRuleFiring: (f) => insertRuleFiring.run(f.ruleId, f.recordId, f.triggerKey, f.firedAt).changes > 0,
    ruleFired: (k) => selectRuleFiring.get(k.ruleId, k.recordId, k.triggerKey) !== undefined,
    checkWritable: () => {
      touchHealth.run(new Date().toISOString())
    },
    checkpoint: () => {
      db.pragma('wal_checkpoint(PASSIVE)')
    },
    close: () => {
      log?.close()
      log = null
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
