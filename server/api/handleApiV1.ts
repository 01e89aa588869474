import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RelayStorage } from '../storage/relayStorage'
import { API_KEYS_PATH, handleApiKeys } from './apiKeyRoutes'
import type { ApiRateLimit } from './apiRateLimit'
import { problem, sendProblemFor } from './problem'
import { requirePrincipal } from './requirePrincipal'
import { handleRecordRoutes, type RecordRoutesContext } from './recordRoutes'
import { handleLeadConversion, isLeadConversionPath } from './leadConversionRoute'
import { handleDealDocuments, isDealDocumentsPath } from './dealDocumentsRoute'
import { sendOpenApiDocument } from './openApiRoute'
import { FORMS_PATH, handleForms } from './formRoutes'
import { CALLS_PATH, EVENTS_PATH, handleCalls, handleEvents } from './callRoutes'
import { memberEventsOf } from './memberEvents'
import { handleSearch, SEARCH_PATH } from './searchRoute'
import { handleViews, VIEWS_PATH } from './viewRoutes'
import { handleTrashRoutes, isTrashPath } from './trashRoutes'
import { handleReports, isReportsPath } from './reportRoutes'
import { handleWebhookRoutes, isWebhookPath, type WebhookRoutesContext } from '../webhooks/webhookRoutes'
import { handleRuleRoutes, isRulesPath, type RuleRoutesContext } from './ruleRoutes'
import { handleImport, isImportPath } from './importRoute'
import { handleDuplicateRoutes, isDuplicatesPath } from './duplicateRoutes'
import { handleExport, isExportPath } from './exportRoute'
import { handleBackupRoutes, isBackupPath, type BackupRoutesContext } from '../backup/backupRoutes'

export const API_V1_PREFIX = '/api/v1'

export interface ApiV1Context {
  storage: RelayStorage
  rateLimit: ApiRateLimit
  publicUrl(): string
  /** GET /schema and the records of every entity (recordRoutes); absent: no such routes. */
  records?: RecordRoutesContext
  /** /webhooks and /webhook-deliveries (server/webhooks); absent: no such routes. */
  webhooks?: WebhookRoutesContext
  /** /rules (automation, issue 16); absent: no such routes. */
  rules?: RuleRoutesContext
  /** /backup and /workspace/epoch (server/backup); absent: no such routes. */
  backups?: BackupRoutesContext
}

/**
 * The public API under /api/v1: every request is authenticated (member token or API key),
 * counted against its rate limit, then routed; every refusal is problem+json. Errors that are
 * not refusals are rethrown for the relay's request handler to log as failures.
 */
export async function handleApiV1(req: IncomingMessage, res: ServerResponse, pathname: string, context: ApiV1Context): Promise<void> {
  try {
    const principal = requirePrincipal(req, context.storage)
    context.rateLimit.take(principal)
    const path = pathname.slice(API_V1_PREFIX.length)
    if (path === API_KEYS_PATH || path.startsWith(`${API_KEYS_PATH}/`)) return await handleApiKeys(req, res, path, principal, context.storage)
    if (path === '/openapi.json') return sendOpenApiDocument(req, res, context)
    if (path === FORMS_PATH && context.records) return await handleForms(req, res, principal, { storage: context.storage, sync: context.records.sync, publicUrl: context.publicUrl })
    if (context.webhooks && isWebhookPath(path)) return await handleWebhookRoutes(req, res, path, principal, context.webhooks)
    if (context.rules && isRulesPath(path)) return await handleRuleRoutes(req, res, path, principal, context.rules)
    if (context.backups && isBackupPath(path)) return await handleBackupRoutes(req, res, path, principal, context.backups)
    if (path === CALLS_PATH && context.records) return await handleCalls(req, res, principal, context.records, memberEventsOf(context.storage))
    if (path === EVENTS_PATH) return handleEvents(req, res, principal, memberEventsOf(context.storage))
    if (path === SEARCH_PATH && context.records) return await handleSearch(req, res, context.records)
    if (path === VIEWS_PATH) return handleViews(req, res, principal, context.storage)
    if (context.records && isLeadConversionPath(path)) return await handleLeadConversion(req, res, path, principal, context.records)
    if (context.records && isDealDocumentsPath(path)) return await handleDealDocuments(req, res, path, principal, context.records)
    if (context.records && isTrashPath(req, path)) return await handleTrashRoutes(req, res, path, principal, context.records)
    if (context.records && isReportsPath(path)) return await handleReports(req, res, path, principal, context.records)
    if (context.records && isImportPath(path)) return await handleImport(req, res, path, principal, context.records)
    if (context.records && isDuplicatesPath(path)) return await handleDuplicateRoutes(req, res, path, principal, context.records)
    if (context.records && isExportPath(path)) return await handleExport(req, res, path, principal, context.records)
    if (context.records && (await handleRecordRoutes(req, res, path, principal, context.records))) return
    throw problem(404, `no API route ${req.method} ${pathname}`)
  } catch (error) {
    if (!sendProblemFor(res, error)) throw error
  }
}
