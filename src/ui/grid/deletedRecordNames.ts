/**
 * Names of records deleted while this tab is open (entity id → record id → name), for links
 * to them: "(deleted) Acme GmbH" in a contact, also in lists opened after the delete. A store's
 * deleted rows are not readable once the delete is in (the compact stores drop them).
 */
export const deletedRecordNames = new Map<string, Map<string, string>>()

export function rememberDeleted(entityId: string, id: string, name: string): void {
  let names = deletedRecordNames.get(entityId)
  if (!names) deletedRecordNames.set(entityId, (names = new Map()))
  names.set(id, name)
}
