/**
 * WebSocket close codes the relay sends. The y-websocket client stops reconnecting on
 * 4400–4499 (a deliberate refusal that a retry cannot fix) and retries on everything else.
 */

/** Relay is shutting down; clients reconnect (with backoff) to the next instance. */
export const CLOSE_GOING_AWAY = 1001

/**
 * Message larger than `maxMessageBytes` (KANSO_MAX_MESSAGE_BYTES). Sent by `ws` itself
 * (its `maxPayload`). Not in the 44xx range, so a stock client reconnects and may resend the
 * same oversized update; the browser client should surface this code.
 */
export const CLOSE_MESSAGE_TOO_BIG = 1009

/** Storage failed while writing an update: nothing was stored or forwarded, the client retries. */
export const CLOSE_INTERNAL_ERROR = 1011

/** The message could not be decoded (bad framing, bad Yjs update, unknown message type). */
export const CLOSE_MALFORMED = 4400

/** Missing, unknown or revoked token. Also sent to open connections of a revoked member. */
export const CLOSE_UNAUTHORIZED = 4401

/** Reserved: the member may not do this (viewer writes are ignored, not refused). */
export const CLOSE_FORBIDDEN = 4403

/**
 * The path is not `/sync/<document name>` with a name matching DOC_NAME_PATTERN, or the document
 * is not one of the workspace's: `schema`, or `entity-<id>` of an entity in the stored schema
 * (one the schema lacks is waited for up to 3 s first; see rooms/knownDocuments.ts).
 */
export const CLOSE_NOT_FOUND = 4404

/**
 * An update breaks its document's layout (docs/ARCHITECTURE.md, "Documents and their layout"):
 * in `entity-*` something other than a Y.Map per record holding JSON values under field ids and
 * `$` keys, typed per the schema; in `schema` anything but the schema's maps and properties; or
 * another root type. The update was neither stored nor forwarded; the reason names the document
 * and the place (`update breaks the layout of "entity-contacts": records["x"] is a string,
 * expected a record map`). In 4400–4499: resending the same update cannot succeed.
 */
export const CLOSE_LAYOUT_VIOLATION = 4422

/**
 * The client synced with another epoch of the workspace (`?epoch=` on the sync URL): a backup was
 * restored since, so its copy holds state the restored documents never saw and syncing it back
 * would resurrect deleted records. The reason is `workspace restored: epoch <new epoch>`; the
 * client drops its local copy and loads the workspace from the relay under the new epoch
 * (server/backup/workspaceEpoch.ts). In 4400–4499: the same connection would be refused again.
 */
export const CLOSE_WORKSPACE_RESTORED = 4409

/**
 * The connection kept sending faster than its rate limits (KANSO_RATE_LIMIT_*) for longer than
 * the grace period, or piled up too many messages at once. 1013 "Try Again Later", outside
 * 4400–4499 on purpose: clients reconnect after their backoff and send what the relay lacks as
 * one sync step 2 (the flood merged into one message), while the member's budget, shared by its
 * connections and kept across reconnects, stays drained, so a flooder gains nothing by coming back.
 */
export const CLOSE_RATE_LIMITED = 1013
