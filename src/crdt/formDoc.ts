import * as Y from 'yjs'
import type { WebForm, WebFormField } from '../domain/forms/webForm'
import { DEFAULT_THANK_YOU } from '../domain/forms/webForm'
import { randomId } from './randomId'
import { SchemaError } from './schemaDoc'

/*
 * Web-to-lead forms in the `schema` document:
 *   getMap('forms'): formId → Y.Map { name, fields (a JSON list of { key, label, required }),
 *                                     consentText, thankYouText, redirectUrl, dedupe,
 *                                     createdAt, deletedAt }
 * One entry per property, so one admin renaming a form and another changing its thank-you text
 * both win; removal is a `deletedAt`, so it can be undone and a racing edit is not lost.
 */
const FORMS = 'forms'

export function formsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(FORMS)
}

/** What a new form or an edit sets; every property is optional in an edit. */
export type FormSpec = Omit<WebForm, 'id' | 'createdAt' | 'deletedAt'>

const str = (v: unknown) => (typeof v === 'string' ? v : '')

function readFields(value: unknown): WebFormField[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((f): WebFormField[] => {
    if (typeof f !== 'object' || f === null || typeof (f as WebFormField).key !== 'string') return []
    const { key, label, required } = f as Partial<WebFormField>
    return [{ key: key as string, label: str(label), required: required === true }]
  })
}

/** The forms as plain data, deleted ones included (with `deletedAt`), oldest first. */
export function readForms(doc: Y.Doc): WebForm[] {
  const forms: WebForm[] = []
  formsOf(doc).forEach((y, id) => {
    if (!(y instanceof Y.Map)) return
    const deletedAt = y.get('deletedAt')
    forms.push({
      id,
      name: str(y.get('name')),
      fields: readFields(y.get('fields')),
      consentText: str(y.get('consentText')),
      thankYouText: str(y.get('thankYouText')),
      redirectUrl: str(y.get('redirectUrl')),
      // on unless an admin turned it off
      dedupe: y.get('dedupe') !== false,
      createdAt: str(y.get('createdAt')),
      ...(typeof deletedAt === 'string' ? { deletedAt } : {}),
    })
  })
  return forms.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

function setProps(y: Y.Map<unknown>, spec: Partial<FormSpec>): void {
  for (const [key, value] of Object.entries(spec)) {
    if (value === undefined) continue
    if (key === 'fields') y.set(key, (value as WebFormField[]).map(({ key: k, label, required }) => ({ key: k, label, required })))
    else if (y.get(key) !== value) y.set(key, value)
  }
}

/** Adds a form (checked by the caller: webFormProblems); returns it with its new id. */
export function createForm(doc: Y.Doc, spec: Partial<FormSpec> & Pick<FormSpec, 'name' | 'fields'>, origin: unknown, now = new Date()): WebForm {
  const id = `form${randomId(12)}`
  const full: FormSpec = { consentText: '', thankYouText: DEFAULT_THANK_YOU, redirectUrl: '', dedupe: true, ...spec }
  doc.transact(() => {
    const y = new Y.Map<unknown>()
    formsOf(doc).set(id, y)
    setProps(y, full)
    y.set('createdAt', now.toISOString())
  }, origin)
  return { id, ...full, createdAt: now.toISOString() }
}

function formMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const y = formsOf(doc).get(id)
  if (!(y instanceof Y.Map)) throw new SchemaError(`Unknown form "${id}"`)
  return y
}

/** Changes the given properties only (each its own entry, so concurrent edits of others stay). */
export function updateForm(doc: Y.Doc, id: string, spec: Partial<FormSpec>, origin: unknown): void {
  const y = formMap(doc, id)
  doc.transact(() => setProps(y, spec), origin)
}

/** Soft-removes a form: /f/{id} answers 410 until it is restored. */
export function removeForm(doc: Y.Doc, id: string, origin: unknown, now = new Date()): void {
  const y = formMap(doc, id)
  doc.transact(() => y.set('deletedAt', now.toISOString()), origin)
}

export function restoreForm(doc: Y.Doc, id: string, origin: unknown): void {
  const y = formMap(doc, id)
  doc.transact(() => y.delete('deletedAt'), origin)
}
