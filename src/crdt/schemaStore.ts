import type * as Y from 'yjs'
import type { CountrySource, EntityDef, FieldDef, WorkspaceSchema } from '../domain/schema'
import type { NewField } from './schemaDoc'
import type { OptionColor } from '../domain/optionColors'
import type { WebForm } from '../domain/forms/webForm'
import { createForm, removeForm, restoreForm, updateForm, type FormSpec } from './formDoc'
import type { Pipeline, Stage } from '../domain/pipelines/pipeline'
import { addPipeline, addStage, moveStage, removeStage, renamePipeline, restoreStage, updateStage, type StageEdit } from './pipelineDoc'
import { SchemaError, addField, addSelectOption, moveSelectOption, observeSchema, renameSelectOption, setOptionColor, readSchema, removeField, renameField, restoreField, setCallsCreateLeadForUnknown, setDefaultCountry, setFieldOptions, setWorkspaceDetail } from './schemaDoc'
import type { WorkspaceDetailKey, WorkspaceDetails } from '../domain/workspace/workspaceDetails'
import type { SavedView, ViewSpec } from '../domain/views/savedView'
import { readImportMapping, writeImportMapping } from './importMappingDoc'
import type { RememberedMapping } from '../domain/import/rememberedMapping'
import { createView, removeView, restoreView, updateView } from './viewDoc'
import type { Dashboard, SavedReport } from '../domain/reports/savedReport'
import { addTile, createDashboard, createReport, removeDashboard, removeReport, removeTile, renameDashboard, updateReport, type ReportEdit, type ReportScope } from './reportDoc'

/** Intent-level access to the workspace schema for one member. */
export interface SchemaStore {
  read(): WorkspaceSchema
  subscribe(listener: (schema: WorkspaceSchema) => void): () => void
  addField(entityId: string, spec: NewField): FieldDef
  renameField(entityId: string, fieldId: string, label: string): void
  removeField(entityId: string, fieldId: string): void
  restoreField(entityId: string, fieldId: string): void
  setFieldOptions(entityId: string, fieldId: string, options: string[]): void
  /** A select's options, edited from the field's menu (OptionEditError says why one is refused). */
  addOption(entityId: string, fieldId: string, label: string): void
  /** Returns the new name; the caller rewrites the records holding the old one (optionRenamePlan). */
  renameOption(entityId: string, fieldId: string, from: string, to: string): string
  moveOption(entityId: string, fieldId: string, label: string, by: number): void
  setOptionColor(entityId: string, fieldId: string, option: string, color: OptionColor): void
  /** The workspace's country for phone numbers (null clears it); `source`: an admin's choice or a locale's guess. */
  setDefaultCountry(country: string | null, source: CountrySource): void
  /** Whether a call from a number nobody has makes a new lead (POST /api/v1/calls). */
  setCallsCreateLeadForUnknown(value: boolean): void
  /** A detail printed on quotes and invoices (null clears it); SchemaError says why a value is refused. */
  setWorkspaceDetail<K extends WorkspaceDetailKey>(key: K, value: WorkspaceDetails[K] | null): void
  /** Web-to-lead forms (checked by the caller with webFormProblems). */
  createForm(spec: Partial<FormSpec> & Pick<FormSpec, 'name' | 'fields'>): WebForm
  updateForm(id: string, spec: Partial<FormSpec>): void
  removeForm(id: string): void
  restoreForm(id: string): void
  /** Pipelines and stages (SchemaError says why one is refused); a stage's deals are moved before removeStage (stageRemovalPlan). */
  addPipeline(name: string): Pipeline
  renamePipeline(pipelineId: string, name: string): void
  addStage(pipelineId: string, name: string): Stage
  updateStage(pipelineId: string, stageId: string, edit: StageEdit): void
  moveStage(pipelineId: string, stageId: string, by: number): void
  removeStage(pipelineId: string, stageId: string): void
  restoreStage(pipelineId: string, stageId: string): void
  /** Saved views (SchemaError names what does not fit); `owner` is the member saving it, a personal view's only reader and writer. */
  createView(entityId: string, view: { shared: boolean; owner: string; spec: ViewSpec }): SavedView
  updateView(entityId: string, viewId: string, spec: Partial<ViewSpec>): void
  removeView(viewId: string): void
  restoreView(viewId: string): void
  /** Saved reports and dashboards (issue 17), personal or shared by their id like views. */
  createReport(scope: ReportScope, report: Required<ReportEdit>): SavedReport
  updateReport(reportId: string, edit: ReportEdit): void
  removeReport(reportId: string): void
  createDashboard(scope: ReportScope, name: string, reports: readonly string[]): Dashboard
  renameDashboard(dashboardId: string, name: string): void
  addTile(dashboardId: string, report: string): void
  removeTile(dashboardId: string, report: string): void
  removeDashboard(dashboardId: string): void
  /** The import mapping remembered for files with this header (importMappingDoc.ts), and remembering one. */
  importMapping(entityId: string, header: readonly string[]): RememberedMapping | undefined
  rememberImportMapping(entityId: string, header: readonly string[], mapping: RememberedMapping): void
}

function entityOf(doc: Y.Doc, entityId: string): EntityDef {
  const entity = readSchema(doc).entities.find((e) => e.id === entityId)
  if (!entity) throw new SchemaError(`Unknown entity "${entityId}"`)
  return entity
}

export function makeSchemaStore(doc: Y.Doc, origin: object = {}): SchemaStore {
  return {
    read: () => readSchema(doc),
    importMapping: (entityId, header) => readImportMapping(doc, entityId, header),
    rememberImportMapping: (entityId, header, mapping) => writeImportMapping(doc, entityId, header, mapping, origin),
    subscribe: (listener) => observeSchema(doc, listener),
    addField: (entityId, spec) => addField(doc, entityId, spec, origin),
    renameField: (entityId, fieldId, label) => renameField(doc, entityId, fieldId, label, origin),
    removeField: (entityId, fieldId) => removeField(doc, entityId, fieldId, origin),
    restoreField: (entityId, fieldId) => restoreField(doc, entityId, fieldId, origin),
    setFieldOptions: (entityId, fieldId, options) => setFieldOptions(doc, entityId, fieldId, options, origin),
    addOption: (entityId, fieldId, label) => addSelectOption(doc, entityId, fieldId, label, origin),
    renameOption: (entityId, fieldId, from, to) => renameSelectOption(doc, entityId, fieldId, from, to, origin),
    moveOption: (entityId, fieldId, label, by) => moveSelectOption(doc, entityId, fieldId, label, by, origin),
    setOptionColor: (entityId, fieldId, option, color) => setOptionColor(doc, entityId, fieldId, option, color, origin),
    setDefaultCountry: (country, source) => setDefaultCountry(doc, country, source, origin),
    setCallsCreateLeadForUnknown: (value) => setCallsCreateLeadForUnknown(doc, value, origin),
    setWorkspaceDetail: (key, value) => setWorkspaceDetail(doc, key, value, origin),
    createForm: (spec) => createForm(doc, spec, origin),
    updateForm: (id, spec) => updateForm(doc, id, spec, origin),
    removeForm: (id) => removeForm(doc, id, origin),
    restoreForm: (id) => restoreForm(doc, id, origin),
    addPipeline: (name) => addPipeline(doc, name, origin),
    renamePipeline: (pipelineId, name) => renamePipeline(doc, pipelineId, name, origin),
    addStage: (pipelineId, name) => addStage(doc, pipelineId, name, origin),
    updateStage: (pipelineId, stageId, edit) => updateStage(doc, pipelineId, stageId, edit, origin),
    moveStage: (pipelineId, stageId, by) => moveStage(doc, pipelineId, stageId, by, origin),
    removeStage: (pipelineId, stageId) => removeStage(doc, pipelineId, stageId, origin),
    restoreStage: (pipelineId, stageId) => restoreStage(doc, pipelineId, stageId, origin),
    createView: (entityId, view) => createView(doc, { entity: entityOf(doc, entityId), ...view }, origin),
    updateView: (entityId, viewId, spec) => updateView(doc, entityOf(doc, entityId), viewId, spec, origin),
    removeView: (viewId) => removeView(doc, viewId, origin),
    restoreView: (viewId) => restoreView(doc, viewId, origin),
    createReport: (scope, report) => createReport(doc, scope, report, origin),
    updateReport: (reportId, edit) => updateReport(doc, reportId, edit, origin),
    removeReport: (reportId) => removeReport(doc, reportId, origin),
    createDashboard: (scope, name, reports) => createDashboard(doc, scope, name, reports, origin),
    renameDashboard: (dashboardId, name) => renameDashboard(doc, dashboardId, name, origin),
    addTile: (dashboardId, report) => addTile(doc, dashboardId, report, origin),
    removeTile: (dashboardId, report) => removeTile(doc, dashboardId, report, origin),
    removeDashboard: (dashboardId) => removeDashboard(doc, dashboardId, origin),
  }
}
