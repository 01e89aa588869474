import { entityDocName } from '../../src/crdt/docNames'
import type { EntityDef, FieldValue, Row } from '../../src/domain/schema'
import type { Member } from '../auth/member'
import type { SyncServer } from '../rooms/syncServer'
import type { UpdateOrigin } from '../rooms/writeServerUpdate'
import type { EntityStores } from './entityStores'

/**
 * Creates a record the relay writes itself (a web form's lead, a call's activity) on the API's
 * copy of the entity document, through src/crdt, and stores it like `author`'s edit: written,
 * then forwarded to every open client. Values must be checked already (decodeApiRecordBody).
 */
export async function createServerRecord(entity: EntityDef, values: Record<string, FieldValue>, author: Member, context: { stores: EntityStores; sync: SyncServer }, origin: UpdateOrigin): Promise<Row> {
  const entry = context.stores.get(entity.id)
  const change = entry.store.createRecord(values, { createdBy: author.id })
  const row = change.patch.added[0]!
  entry.touched([row.id])
  try {
    await context.sync.writeServerUpdate(entityDocName(entity.id), change.update, author, origin)
  } catch (error) {
    // the copy is ahead of storage: read it again on the next request
    context.stores.drop(entity.id)
    throw error
  }
  return row
}
