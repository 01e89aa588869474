import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import { SCHEMA_DOC } from '../../src/crdt/docNames'
import { createForm } from '../../src/crdt/formDoc'
import { webFormProblems, type WebForm, type WebFormField } from '../../src/domain/forms/webForm'
import { findEntity, liveFields } from '../../src/domain/schema'
import type { Principal } from '../auth/authenticateToken'
import { sendJson } from '../http/httpError'
import { readJsonBody } from '../http/readJsonBody'
import { readStoredSchema } from '../http/readStoredSchema'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { problem } from './problem'
import { requireRole } from './requirePrincipal'

export const FORMS_PATH = '/forms'

const BODY_KEYS = new Set(['name', 'fields', 'consent_text', 'thank_you_text', 'redirect_url', 'dedupe'])

/** A form as the API shows it, with where it lives. */
export function formJson(form: WebForm, publicUrl: string) {
  return {
    id: form.id,
    name: form.name,
    fields: form.fields.map((f) => ({ key: f.key, label: f.label, required: f.required })),
    consent_text: form.consentText,
    thank_you_text: form.thankYouText,
    redirect_url: form.redirectUrl || null,
    dedupe: form.dedupe,
    created_at: form.createdAt,
    url: `${publicUrl.replace(/\/$/, '')}/f/${encodeURIComponent(form.id)}`,
  }
}

/**
 * `GET|POST /api/v1/forms`, admins only. POST `{ "name", "fields": ["name", "email", …] }`
 * (a field may also be `{ "key", "label", "required" }`) → 201 with the form and its `id`. The
 * form is written into the schema document through src/crdt like an admin's edit in Settings.
 */
export async function handleForms(req: IncomingMessage, res: ServerResponse, principal: Principal, context: { storage: RelayStorage; sync: SyncServer; publicUrl(): string }): Promise<void> {
  requireRole(principal, 'admin')
  if (req.method === 'GET') {
    const forms = (readStoredSchema(context.storage).forms ?? []).filter((f) => !f.deletedAt)
    sendJson(res, 200, { data: forms.map((f) => formJson(f, context.publicUrl())) })
    return
  }
  if (req.method !== 'POST') throw problem(405, `${req.method} is not allowed here; use GET or POST`, undefined, { Allow: 'GET, POST' })
  const body = await readJsonBody(req)
  const errors = Object.keys(body).filter((k) => !BODY_KEYS.has(k)).map((field) => ({ field, message: `a form has no property "${field}" (send ${[...BODY_KEYS].join(', ')})` }))
  const fields = readFields(body.fields, errors)
  const text = (key: string) => {
    const value = body[key]
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string') errors.push({ field: key, message: 'must be a string' })
    return typeof value === 'string' ? value : undefined
  }
  if (typeof body.name !== 'string') errors.push({ field: 'name', message: 'a form needs a name (a string)' })
  if (body.dedupe !== undefined && typeof body.dedupe !== 'boolean') errors.push({ field: 'dedupe', message: 'must be true or false' })
  const spec = {
    name: typeof body.name === 'string' ? body.name.trim() : '',
    fields,
    consentText: text('consent_text') ?? '',
    thankYouText: text('thank_you_text') ?? 'Thank you! We will be in touch soon.',
    redirectUrl: text('redirect_url') ?? '',
    dedupe: body.dedupe !== false,
  }
  const leads = findEntity(readStoredSchema(context.storage), 'leads')
  const keys = leads ? liveFields(leads).map((f) => f.key) : []
  const names: Record<string, string> = { consentText: 'consent_text', thankYouText: 'thank_you_text', redirectUrl: 'redirect_url' }
  for (const p of webFormProblems(spec, keys)) if (!errors.some((e) => e.field === (names[p.field] ?? p.field))) errors.push({ field: names[p.field] ?? p.field, message: p.message })
  if (errors.length) throw problem(422, `the form was not saved: ${errors.map((e) => e.field).join(', ')} refused`, errors)
  const form = await writeSchemaChange(context, principal, (doc) => createForm(doc, spec, 'api'))
  sendJson(res, 201, formJson(form, context.publicUrl()), { Location: `/api/v1${FORMS_PATH}/${form.id}` })
}

function readFields(value: unknown, errors: { field: string; message: string }[]): WebFormField[] {
  if (!Array.isArray(value)) {
    errors.push({ field: 'fields', message: 'a list of lead field keys, e.g. ["name", "email"]' })
    return []
  }
  return value.flatMap((f): WebFormField[] => {
    if (typeof f === 'string') return [{ key: f, label: '', required: false }]
    if (typeof f === 'object' && f !== null && typeof f.key === 'string') {
      return [{ key: f.key, label: typeof f.label === 'string' ? f.label : '', required: f.required === true }]
    }
    errors.push({ field: 'fields', message: `${JSON.stringify(f)} is neither a field key nor { "key", "label", "required" }` })
    return []
  })
}

/**
 * Runs `change` on the stored schema document and stores what it did like a member's edit
 * (layout check, durable, then forwarded to every open client).
 */
async function writeSchemaChange<T>(context: { storage: RelayStorage; sync: SyncServer }, principal: Principal, change: (doc: Y.Doc) => T): Promise<T> {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const update of context.storage.loadDocument(SCHEMA_DOC)) Y.applyUpdate(doc, update)
    })
    const before = Y.encodeStateVector(doc)
    const result = change(doc)
    await context.sync.writeServerUpdate(SCHEMA_DOC, Y.encodeStateAsUpdate(doc, before), { id: principal.id, name: principal.name, role: principal.role, createdAt: '' }, 'api')
    return result
  } finally {
    doc.destroy()
  }
}
