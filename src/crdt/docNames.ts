/** Document names on the wire (`/sync/<name>`) and in IndexedDB. */
export const SCHEMA_DOC = 'schema'
/** Automation rules, their run logs, rule notifications and the webhook outbox (automationDoc.ts). */
export const AUTOMATION_DOC = 'automation'

export function entityDocName(entityId: string): string {
  return `entity-${entityId}`
}

export const DOC_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/
