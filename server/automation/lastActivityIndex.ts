import { activitiesEntity, activityRelationFields } from '../../src/domain/rules/ruleFields'
import type { Row, WorkspaceSchema } from '../../src/domain/schema'

/**
 * For "no activity for N days" rules: the latest time an activity related to each record was
 * created or completed (`done_at`), from one walk over the activities' live rows. Keys are
 * `<entity id>|<record id>`; an activity linked to several records counts for each.
 */
export function lastActivityIndex(schema: WorkspaceSchema, activityRows: Iterable<Row>): (entity: string, recordId: string) => string | null {
  const activities = activitiesEntity(schema)
  const latest = new Map<string, string>()
  if (activities) {
    const relations = [...activityRelationFields(activities)].map(([entityId, field]) => ({ entityId, fieldId: field.id }))
    const doneAt = activities.fields.find((f) => f.key === 'done_at' && !f.deletedAt)?.id
    for (const row of activityRows) {
      if (row.deletedAt || row.purgedAt) continue
      const done = doneAt ? row.values[doneAt] : undefined
      const at = typeof done === 'string' && done > row.createdAt ? done : row.createdAt
      for (const { entityId, fieldId } of relations) {
        const value = row.values[fieldId]
        const ids = Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : []
        for (const id of ids) {
          const key = `${entityId}|${id}`
          const known = latest.get(key)
          if (known === undefined || at > known) latest.set(key, at)
        }
      }
    }
  }
  return (entity, recordId) => latest.get(`${entity}|${recordId}`) ?? null
}
