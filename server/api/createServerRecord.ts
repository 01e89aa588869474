import type { EntityDef, FieldValue, Row } from '../../src/domain/schema'
import type { Member } from '../auth/member'
import type { SyncServer } from '../rooms/syncServer'
import type { UpdateOrigin } from '../rooms/writeServerUpdate'
import type { EntityStores } from './entityStores'
import type { RelayRules } from '../automation/relayRules'
import { storeChange } from './recordRoutes'

/**
 * Creates a record the relay writes itself (a web form's lead, a call's activity) on the API's
 * copy of the entity document, through src/crdt, and stores it like `author`'s edit with what the
 * rules it triggers do (the relay is the writer: server/automation/relayRules): written, then
 * forwarded to every open client. Values must be checked already (decodeApiRecordBody).
 */
export async function createServerRecord(entity: EntityDef, values: Record<string, FieldValue>, author: Member, context: { stores: EntityStores; sync: SyncServer; rules?: () => RelayRules | null }, origin: UpdateOrigin): Promise<Row> {
  const entry = context.stores.get(entity.id)
  const change = entry.store.createRecord(values, { createdBy: author.id })
  const row = change.patch.added[0]!
  entry.touched([row.id])
  await storeChange(context, { entityId: entity.id, update: change.update, changes: [{ entity: entity.id, recordId: row.id, before: null, after: row }], author, origin, seed: null })
  return row
}
