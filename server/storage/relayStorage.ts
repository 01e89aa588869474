import type { DealDocumentKind, NumberAssignment } from '../../src/domain/deals/dealDocuments'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { ApiKey } from '../auth/apiKey'
import type { Member, MemberProfile } from '../auth/member'
import type { LogFile } from './updateLog'

/** A member as stored: the token itself is never stored, only its sha256 hash. */
export interface StoredMember extends Member {
  tokenHash: string
}

/** An API key as stored: only the key's sha256 hash, never the key. */
export interface StoredApiKey extends ApiKey {
  keyHash: string
}

/** One firing of a time-based rule (src/domain/rules/timedRules.ts): a rule fires once per record and trigger key. */
export interface RuleFiringKey { ruleId: string; recordId: string; triggerKey: string }

/** One row of a document's log. */
export interface StoredRow {
  seq: number
  update: Uint8Array
  /** The Yjs state vector of `update`, when it was stored with it (compacted rows). */
  stateVector: Uint8Array | null
}

/**
 * Everything the relay persists. Synchronous on purpose: an update must be durable before it
 * is forwarded, and better-sqlite3 gives that without a round trip through the event loop.
 *
 * Documents are append-only logs of Yjs updates (v1 encoding). Each row has a `seq`, increasing
 * within a document (not necessarily by 1). `compact` replaces a prefix of the log with one
 * merged update, which takes the seq of the last row it replaced, so order is preserved.
 */
export interface RelayStorage {
  /** The document's log in order; `[]` when the document was never written. */
  loadDocument(name: string): Uint8Array[]
  /** The log with seqs and stored state vectors, in order. */
  loadRows(name: string): StoredRow[]
  /** How many rows the document's log has and their total bytes, without reading them. */
  documentSize(name: string): { rows: number; bytes: number }
  /** The seq of the document's last row, 0 when it has none. */
  lastSeq(name: string): number
  /** Appends one update; durable (survives the process being killed) when it returns. */
  appendUpdate(name: string, update: Uint8Array): number
  /**
   * Appends updates (of any documents) in one transaction, all or nothing; returns their seqs in
   * order. Durable when it returns. Storage keeps a copy of the bytes, unless `handedOver`: the
   * caller never changes them again (the relay's own copies), so storage may keep them as they are.
   */
  appendUpdates(entries: ReadonlyArray<{ name: string; update: Uint8Array }>, handedOver?: boolean): number[]
  /**
   * Stores rows whose seqs the caller chose (the relay's document writer numbers its own
   * appends), in one transaction. Skips a row whose (document, seq) is stored already, or that
   * is not newer than the document's base row (a compaction already merged it): replaying the
   * same rows twice changes nothing.
   */
  putRows(rows: ReadonlyArray<{ name: string; seq: number; update: Uint8Array }>): void
  /**
   * Replaces every row with seq ≤ upToSeq by `merged`, atomically; `stateVector` (of `merged`)
   * is kept with the row so a load never recomputes it.
   */
  compact(name: string, merged: Uint8Array, upToSeq: number, stateVector?: Uint8Array): void
  /** Keeps the state vector of the document's first row, `seq` (a row stored without one). */
  storeStateVector(name: string, seq: number, stateVector: Uint8Array): void
  /** Names of all documents with at least one row. */
  listDocuments(): string[]
  /** The entity document's rows as last read for first visits (server/snapshots), and the seq they reflect. */
  loadRowSnapshot(name: string): { seq: number; bytes: Uint8Array } | null
  /** Replaces the document's row snapshot. */
  saveRowSnapshot(name: string, seq: number, bytes: Uint8Array): void

  /** Throws if a member with the same id or token hash exists. */
  addMember(member: StoredMember): void
  /** All members, revoked ones included, oldest first. */
  listMembers(): Member[]
  getMember(id: string): Member | null
  /** Revoked members are returned too: callers decide what a revoked token means. */
  findMemberByTokenHash(tokenHash: string): Member | null
  /** Marks the member revoked (keeps an earlier revokedAt); null when the id is unknown. */
  revokeMember(id: string, revokedAt: string): Member | null
  /** Sets or clears the member's call settings (MemberProfile); null when the id is unknown. */
  updateMemberProfile(id: string, profile: MemberProfile): Member | null
  /**
   * Increases whenever members change, also when another process (the CLI) changed them.
   * Cheap enough to poll every few hundred milliseconds.
   */
  membersVersion(): number

  /** Throws if a key with the same id or hash exists. */
  addApiKey(key: StoredApiKey): void
  /** All API keys, revoked ones included, oldest first; never their hashes. */
  listApiKeys(): ApiKey[]
  getApiKey(id: string): ApiKey | null
  /** Revoked keys are returned too: callers decide what a revoked key means. */
  findApiKeyByHash(keyHash: string): ApiKey | null
  /** Marks the key revoked (keeps an earlier revokedAt); null when the id is unknown. */
  revokeApiKey(id: string, revokedAt: string): ApiKey | null

  /**
   * The number of one issued quote or invoice (src/domain/deals/dealDocuments.ts): the one given
   * to `issueId` before (whatever kind and year are passed now), or the next of the (kind, year)
   * sequence, counted and kept in one transaction. Assigned once per issue id, never reused: the
   * counter only grows, also when the deal that held the issue is gone.
   */
  assignDocumentNumber(issueId: string, kind: DealDocumentKind, year: number): NumberAssignment

  /** Appends record history entries (server/history), in one transaction. */
  appendHistory(entries: readonly HistoryEntry[]): void
  /** A record's history, newest first (ties: the later appended first), at most `limit` entries. */
  readHistory(entityId: string, recordId: string, limit: number): HistoryEntry[]
  /**
   * The entry appended last that set a field of a record (not conflicts): the write a racing one
   * replaced, also when it is dated earlier than others (an edit made offline and synced later).
   */
  lastFieldWrite(entityId: string, recordId: string, fieldId: string): HistoryEntry | null
  /** Deletes every history entry of these records (a purge keeps none of their values); returns how many went. */
  forgetHistory(entityId: string, recordIds: readonly string[]): number

  /**
   * Keeps that a time-based rule fired for a record and trigger key (rule_firings): true when it
   * had not, false when that firing was kept before (the relay's time-based pass then skips it).
   */
  recordRuleFiring(firing: RuleFiringKey & { firedAt: string }): boolean
  /** Whether the time-based rule fired for this record and trigger key. */
  ruleFired(key: RuleFiringKey): boolean

  /** Performs a real tiny write; throws with the reason when storage is not writable. */
  checkWritable(): void
  /**
   * The SQLite file a worker thread may open (createSqliteStorage) to read and write the same
   * data itself; null for storage that lives in this thread only.
   */
  readonly file: string | null
  /**
   * SQLite only: from now on appends through this object are made durable by the update log
   * (updateLog.ts) instead of a SQLite commit, and stay readable here until `written` says the
   * writer thread has them in SQLite. Replays what a killed relay left in the log first.
   */
  openUpdateLog?(): { recovered: number; log: UpdateLogHandle }
  /** Moves the write-ahead log into the database (no-op where there is none). */
  checkpoint(): void
  close(): void
}

/** What the relay's document writer does with an open update log (see RelayStorage.openUpdateLog). */
export interface UpdateLogHandle {
  /** The next seq of a document, for a row written elsewhere (the writer thread). */
  reserveSeq(name: string): number
  /** Bytes logged since the last seal. */
  readonly pendingBytes: number
  /** The rows logged since the last seal (null: none); later appends go to a new file. */
  seal(): LogFile | null
  /** The sealed rows are in SQLite: stop holding them, delete their file. */
  written(sealed: LogFile): void
  /** Whether the document has logged rows that are not known to be in SQLite yet. */
  hasLogged(name: string): boolean
}
