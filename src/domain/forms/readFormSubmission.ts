import { decodeApiRecordBody, type ApiReadContext, type FieldProblem } from '../api/apiRecordCodec'
import { fieldByKey, type EntityDef, type FieldValue } from '../schema'
import { shownFields } from './formMarkup'
import { HONEYPOT_INPUT, PAGE_URL_INPUT, SERVED_AT_INPUT, TRACKING_KEYS, type WebForm } from './webForm'

/** A post to /f/{id} as read off the wire: every input's text (urlencoded, multipart or JSON). */
export type FormPost = Record<string, unknown>

export interface PostContext {
  /** The Referer header of the post, if any. */
  referer?: string
  read: ApiReadContext
}

export type Submission =
  | { kind: 'bot' }
  | { kind: 'refused'; errors: FieldProblem[] }
  | { kind: 'lead'; values: Record<string, FieldValue>; shown: { label: string; text: string }[] }

/** The lead's `source` option for a web form post, when the option exists and the post names none. */
const WEB_SOURCE = 'Website'

function urlOf(text: unknown): URL | null {
  return typeof text === 'string' && URL.canParse(text) && /^https?:$/.test(new URL(text).protocol) ? new URL(text) : null
}

/**
 * A post → the new lead's values (through the API's parser and validation: decodeApiRecordBody),
 * or why not. Only the form's fields and the tracking fields are taken; a filled honeypot is a
 * bot (answered like a person, nothing created). UTM parameters come from the post's own inputs,
 * else from the page the embed reports, else from the Referer; the referring page likewise.
 */
export function readFormSubmission(form: WebForm, leads: EntityDef, post: FormPost, context: PostContext): Submission {
  const honeypot = post[HONEYPOT_INPUT]
  if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null && honeypot !== false) return { kind: 'bot' }
  const shown = shownFields(form, leads)
  const onForm = new Set(shown.map((f) => f.key))
  const errors: FieldProblem[] = []
  const body: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(post)) {
    if (key === HONEYPOT_INPUT || key === SERVED_AT_INPUT || key === PAGE_URL_INPUT) continue
    if (!onForm.has(key) && !(TRACKING_KEYS as readonly string[]).includes(key) && key !== 'source') {
      errors.push({ field: key, message: `the form "${form.name}" has no field "${key}" (fields: ${[...onForm].join(', ')})` })
      continue
    }
    // an empty input is no value: a plain HTML form sends every input
    if (value === '' || value === null) continue
    if (fieldByKey(leads, key)) body[key] = value
  }
  for (const f of shown) {
    if (f.required && (body[f.key] === undefined || (typeof body[f.key] === 'string' && (body[f.key] as string).trim() === ''))) {
      errors.push({ field: f.key, message: `${f.shownLabel} is required` })
    }
  }
  const page = urlOf(post[PAGE_URL_INPUT]) ?? urlOf(context.referer)
  for (const key of TRACKING_KEYS) {
    if (body[key] !== undefined || !fieldByKey(leads, key)) continue
    const fromPage = key === 'referrer' ? page?.href : page?.searchParams.get(key)
    if (fromPage) body[key] = fromPage.slice(0, 2000)
  }
  // a lead's name in lists: its title, when the form does not ask for one
  const title = fieldByKey(leads, 'title')
  const who = ['name', 'company_name', 'email', 'phone'].map((k) => body[k]).find((v) => typeof v === 'string' && v.trim())
  if (title && body.title === undefined) body.title = `${form.name}${typeof who === 'string' ? `: ${who.trim().slice(0, 200)}` : ''}`
  const source = fieldByKey(leads, 'source')
  if (body.source === undefined && source?.options?.includes(WEB_SOURCE)) body.source = WEB_SOURCE
  const decoded = decodeApiRecordBody(leads, body, context.read, true)
  if (!decoded.ok) errors.push(...decoded.errors.filter((e) => !errors.some((x) => x.field === e.field)))
  if (errors.length || !decoded.ok) return { kind: 'refused', errors }
  return {
    kind: 'lead',
    values: decoded.values,
    shown: shown.filter((f) => body[f.key] !== undefined).map((f) => ({ label: f.shownLabel, text: String(body[f.key]) })),
  }
}
