import { stageFieldsOf, type StageFields } from '../pipelines/stageHistory'
import { findEntity, type EntityDef, type FieldDef, type WorkspaceSchema } from '../schema'

/*
 * The parts of the schema rules act on, found by what they are rather than by fixed ids: the
 * activities entity by its key, a record's owner as its `owner` member field, the deals as the
 * entity holding a stage select, and an activity's relation to an entity as the activities' link
 * field pointing at that entity (`related` → contacts, `related_deal` → deals, …).
 */

export const ACTIVITIES_KEY = 'activities'

function liveByKey(entity: EntityDef, key: string): FieldDef | undefined {
  return entity.fields.find((f) => f.key === key && !f.deletedAt)
}

export function liveField(entity: EntityDef, fieldId: string): FieldDef | undefined {
  return entity.fields.find((f) => f.id === fieldId && !f.deletedAt)
}

export function activitiesEntity(schema: WorkspaceSchema): EntityDef | undefined {
  return findEntity(schema, ACTIVITIES_KEY)
}

/** The activity fields a rule writes or reads (each may be missing in an odd workspace). */
export interface ActivityFields { type?: FieldDef; subject?: FieldDef; due?: FieldDef; done?: FieldDef; owner?: FieldDef }

export function activityFieldsOf(activities: EntityDef): ActivityFields {
  return {
    type: liveByKey(activities, 'type'), subject: liveByKey(activities, 'subject'), due: liveByKey(activities, 'due'),
    done: liveByKey(activities, 'done'), owner: ownerFieldOf(activities),
  }
}

/** The record's owner: the `owner` member field. */
export function ownerFieldOf(entity: EntityDef): FieldDef | undefined {
  const field = liveByKey(entity, 'owner')
  return field?.type === 'member' ? field : undefined
}

/** The deals: the entity with a stage select (choicesFrom 'stages'), and those fields. */
export function dealsOf(schema: WorkspaceSchema): { entity: EntityDef; fields: StageFields } | undefined {
  for (const entity of schema.entities) {
    const fields = stageFieldsOf(entity)
    if (fields) return { entity, fields }
  }
  return undefined
}

/** The activities' link fields to other entities, one per entity (the first in order). */
export function activityRelationFields(activities: EntityDef): Map<string, FieldDef> {
  const byEntity = new Map<string, FieldDef>()
  const links = activities.fields.filter((f) => f.type === 'link' && !f.deletedAt && f.linkEntity && f.linkEntity !== activities.id)
  for (const field of links.sort((a, b) => a.order - b.order)) {
    if (!byEntity.has(field.linkEntity!)) byEntity.set(field.linkEntity!, field)
  }
  return byEntity
}
