import type { Member } from '../auth/member'

/** A member as stored: the token itself is never stored, only its sha256 hash. */
export interface StoredMember extends Member {
  tokenHash: string
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
  /** The seq of the document's last row, 0 when it has none. */
  lastSeq(name: string): number
  /** Appends one update; durable (survives the process being killed) when it returns. */
  appendUpdate(name: string, update: Uint8Array): number
  /** Replaces every row with seq ≤ upToSeq by `merged`, atomically. */
  compact(name: string, merged: Uint8Array, upToSeq: number): void
  /** Names of all documents with at least one row. */
  listDocuments(): string[]

  /** Throws if a member with the same id or token hash exists. */
  addMember(member: StoredMember): void
  /** All members, revoked ones included, oldest first. */
  listMembers(): Member[]
  getMember(id: string): Member | null
  /** Revoked members are returned too: callers decide what a revoked token means. */
  findMemberByTokenHash(tokenHash: string): Member | null
  /** Marks the member revoked (keeps an earlier revokedAt); null when the id is unknown. */
  revokeMember(id: string, revokedAt: string): Member | null
  /**
   * Increases whenever members change, also when another process (the CLI) changed them.
   * Cheap enough to poll every few hundred milliseconds.
   */
  membersVersion(): number

  /** Performs a real tiny write; throws with the reason when storage is not writable. */
  checkWritable(): void
  close(): void
}
