import type { EntityStore } from '../../crdt/entityStore'
import { randomId } from '../../crdt/randomId'
import type { ConversionPlan, PlannedRecord } from '../../domain/leads/convertLead'
import type { Pipeline } from '../../domain/pipelines/pipeline'
import { planStageEdit } from '../../domain/pipelines/stageHistory'
import type { EntityDef, FieldValue } from '../../domain/schema'
import type { ConversionStep } from './conversionUndo'

export interface ConversionStores { leads: EntityStore; contacts: EntityStore; companies: EntityStore; deals?: EntityStore }

/**
 * Writes a conversion through the page's stores, one step in each, in the order that never
 * leaves a link dangling: the company, the contact, the deal, the lead's mark last. The deal's
 * first stage is kept as a stage change (this member, this device's time), like the grid's.
 * Returns the steps for the grouped undo.
 */
export function writeConversion(plan: ConversionPlan, leadId: string, stores: ConversionStores, deals: EntityDef | undefined, pipelines: readonly Pipeline[], memberId: string): ConversionStep[] {
  const steps: ConversionStep[] = []
  const create = (store: EntityStore | undefined, planned: PlannedRecord | null, extra: (values: Record<string, FieldValue>) => Record<string, FieldValue> = (v) => v) => {
    if (!store || !planned?.create) return
    store.createRecord(extra(planned.values), planned.id)
    steps.push({ store, rows: [store.row(planned.id)!] })
  }
  create(stores.companies, plan.company)
  create(stores.contacts, plan.contact)
  create(stores.deals, plan.deal, (values) => deals ? { ...values, ...(planStageEdit(deals, pipelines, undefined, values, memberId, new Date(), randomId(12)).extra as Record<string, FieldValue>) } : values)
  stores.leads.updateCells(Object.entries(plan.leadValues).map(([fieldId, value]) => ({ recordId: leadId, fieldId, value })))
  steps.push({ store: stores.leads, rows: [stores.leads.row(leadId)!] })
  return steps
}
