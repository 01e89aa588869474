/**
 * The Kanso backup file (format 1): a SQLite database, the relay's own tables copied from one
 * consistent read of the relay's file (`VACUUM INTO`), plus the rows still in the update log,
 * each document merged into one row, the tables below left empty, and a `kanso_backup` table
 * saying what it is. Any SQLite
 * tool opens it; a relay restores it by putting it in place of its data file (restoreBackup).
 *
 * Why SQLite rather than a stream of sections: the documents, members, keys and counters are
 * already SQLite rows, so the copy is one statement on a read snapshot (WAL lets the relay go
 * on writing meanwhile), the restore is a file rename, and the file checks itself
 * (`PRAGMA quick_check`) instead of carrying our own CRCs.
 */
export const BACKUP_FORMAT = 'kanso-backup'
export const BACKUP_FORMAT_VERSION = 1
export const BACKUP_INFO_TABLE = 'kanso_backup'

/**
 * Tables copied into a backup and why. Every table of the relay's file is either here or in
 * DROPPED_TABLES (backupFormat.test checks a fresh relay's file against both).
 */
export const KEPT_TABLES: Readonly<Record<string, string>> = {
  documents: 'every document (schema, automation, entity-*) as one merged Yjs update: the workspace',
  updates: 'empty in a backup: each document’s appended rows are merged into its base row',
  state_vectors: 'the merged rows’ state vectors, so a restored relay need not compute them',
  members: 'members with their roles and hashed tokens: everyone signs in as before',
  meta: 'members_version: a running CLI poll keeps working',
  api_keys: 'API keys, hashed: integrations keep working',
  document_numbers: 'the number each quote and invoice got',
  document_counters: 'each (kind, year) sequence’s last number: no number is handed out twice',
  record_history: 'the record history shown in panels and GET …/history',
  rule_firings: 'time-based rules already fired: a restore does not fire them again',
  relay_secrets: 'the forms’ and rule webhooks’ signing secrets: receivers keep verifying',
  webhook_subscriptions: 'webhook subscriptions with their signing secrets',
  webhook_cursors: 'where the webhook feed read each document up to (matches the copied documents)',
}

export const DROPPED_TABLES: Readonly<Record<string, string>> = {
  row_snapshots: 'a cache of the entity documents’ rows; rebuilt after the start',
  health: 'the storage probe’s last write',
  api_idempotency: 'answers to retried API requests, kept a day; they describe the state before the restore',
  webhook_deliveries: 'deliveries queued or in flight: events of the past, not configuration',
  workspace_epoch: 'the restore gives the workspace a new epoch (workspaceEpoch.ts)',
}

/** What `kanso_backup` says about a backup. */
export interface BackupInfo {
  format: typeof BACKUP_FORMAT
  version: number
  createdAt: string
  /** The epoch of the workspace it was taken from. */
  epoch: string
  /** Documents (with at least one row) in it. */
  documents: number
}

/** A file that is not a Kanso backup this relay can restore, with the reason. */
export class BackupFormatError extends Error {
  override name = 'BackupFormatError'
}
