import * as Y from 'yjs'
import type { FieldValue } from '../domain/schema'
import type { CellChange } from './recordDoc'
import { RecordError, recordMapOf, recordsOf, SHELL_ORIGIN } from './recordDoc'
import { META_CREATED_AT, META_CREATED_BY } from './recordTable'

/**
 * Records to create and cells to set as ONE change, so one undo takes it back: a paste that
 * writes cells and adds rows below, a fill down, a cleared range. A create's id is given by the
 * writer (the page shows the row before the workspace worker has written it).
 */
export interface RecordBatch {
  creates: { id: string; values: Record<string, FieldValue> }[]
  updates: CellChange[]
}

/**
 * Writes a batch into a Y.Doc: the records' untracked shells first (as createRecord does, so an
 * undo hides the records instead of removing their maps), then one tracked transaction with
 * every created record's `$createdAt` and values and every cell update.
 */
export function writeRecordBatch(doc: Y.Doc, batch: RecordBatch, createdBy: string, origin: unknown, now = new Date()): void {
  const records = recordsOf(doc)
  const created = new Set<string>()
  for (const c of batch.creates) {
    if (records.has(c.id) || created.has(c.id)) throw new RecordError(`Record "${c.id}" already exists`)
    created.add(c.id)
  }
  for (const u of batch.updates) {
    if (!created.has(u.recordId) && !recordMapOf(records, u.recordId)) throw new RecordError(`Unknown record "${u.recordId}"`)
    if (u.fieldId.startsWith('$')) throw new RecordError(`"${u.fieldId}" is not a field`)
  }
  if (batch.creates.length) {
    doc.transact(() => {
      for (const c of batch.creates) {
        const y = new Y.Map<unknown>()
        records.set(c.id, y)
        y.set(META_CREATED_BY, createdBy)
      }
    }, SHELL_ORIGIN)
  }
  doc.transact(() => {
    for (const c of batch.creates) {
      const y = recordMapOf(records, c.id)!
      y.set(META_CREATED_AT, now.toISOString())
      for (const [fieldId, value] of Object.entries(c.values)) if (value !== null && value !== undefined) y.set(fieldId, value)
    }
    for (const { recordId, fieldId, value } of batch.updates) {
      const y = recordMapOf(records, recordId)!
      if (value === null || value === undefined) {
        if (y.has(fieldId)) y.delete(fieldId)
      } else if (JSON.stringify(y.get(fieldId)) !== JSON.stringify(value)) {
        y.set(fieldId, value)
      }
    }
  }, origin)
}
