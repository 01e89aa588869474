/** Document names on the wire (`/sync/<name>`) and in IndexedDB. */
export const SCHEMA_DOC = 'schema'

export function entityDocName(entityId: string): string {
  return `entity-${entityId}`
}

export const DOC_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/
