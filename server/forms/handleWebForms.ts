import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ApiReadContext, FieldProblem } from '../../src/domain/api/apiRecordCodec'
import { readFormSubmission } from '../../src/domain/forms/readFormSubmission'
import { shownFields } from '../../src/domain/forms/formMarkup'
import { HONEYPOT_INPUT, PAGE_URL_INPUT, SERVED_AT_INPUT, TRACKING_KEYS, type WebForm } from '../../src/domain/forms/webForm'
import { fieldByKey, findEntity, type EntityDef } from '../../src/domain/schema'
import { PROJECT_ROOT } from '../config'
import { decodePathSegment } from '../http/decodePathSegment'
import { HttpError } from '../http/httpError'
import { readStoredSchema } from '../http/readStoredSchema'
import { ProblemError, problemTitle, sendProblem, serverUpdateProblem } from '../api/problem'
import type { EntityStores } from '../api/entityStores'
import type { SyncServer } from '../rooms/syncServer'
import { ServerUpdateError } from '../rooms/writeServerUpdate'
import type { RelayStorage } from '../storage/relayStorage'
import { hostedFormPage, messagePage } from './formPages'
import { FormRateLimit, type FormRateLimits } from './formRateLimit'
import { readFormPost } from './readFormPost'
import { servedAtProblem, signServedAt } from './servedAtToken'
import { submitLead } from './submitLead'
import type { RelayRules } from '../automation/relayRules'

export const FORM_PATH_PREFIX = '/f/'
export const EMBED_PATHS: Record<string, string> = { '/embed/form.js': 'text/javascript; charset=utf-8', '/embed/form.css': 'text/css; charset=utf-8' }

export interface WebFormsContext {
  storage: RelayStorage
  sync: SyncServer
  stores: EntityStores
  /** The rules a form's lead triggers (the relay is its writer: server/automation/relayRules); absent: none run. */
  rules?: () => RelayRules | null
  /** Signs the served-at tokens (loadRelaySecret). */
  secret: Buffer
  rateLimit: FormRateLimit | null
  now?: () => number
}

export function makeWebFormsContext(options: Omit<WebFormsContext, 'rateLimit'> & { rateLimits: FormRateLimits | null }): WebFormsContext {
  return { ...options, rateLimit: options.rateLimits ? new FormRateLimit(options.rateLimits) : null }
}

/** Any site may post to a form and read its description (the embed); nothing here uses cookies. */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
}

export function isWebFormPath(pathname: string): boolean {
  return pathname.startsWith(FORM_PATH_PREFIX) || pathname in EMBED_PATHS
}

/**
 * The public side of web-to-lead forms, no token needed: GET /f/{id} (the hosted page, or the
 * form as JSON for the embed), POST /f/{id} (urlencoded, multipart or JSON; CORS), OPTIONS
 * (preflight), and the embed's script and stylesheet.
 */
export async function handleWebForms(req: IncomingMessage, res: ServerResponse, pathname: string, context: WebFormsContext): Promise<void> {
  if (pathname in EMBED_PATHS) return serveEmbedFile(req, res, pathname)
  const segment = pathname.slice(FORM_PATH_PREFIX.length)
  if (segment === '' || segment.includes('/')) throw new HttpError(404, 'not_found', `nothing at ${pathname}`)
  const formId = decodePathSegment(segment)
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Cache-Control': 'no-store' })
    res.end()
    return
  }
  const wantsJson = req.method === 'POST' ? /^application\/json\b/i.test(req.headers['content-type'] ?? '') : prefersJson(req)
  try {
    const schema = readStoredSchema(context.storage)
    const form = schema.forms?.find((f) => f.id === formId && !f.deletedAt)
    const leads = findEntity(schema, 'leads')
    if (!form || !leads) throw new HttpError(404, 'not_found', `there is no form "${formId}" (it may have been removed)`)
    const read: ApiReadContext = { locale: 'en-US', workspaceCountry: schema.workspace?.defaultCountry, members: [] }
    if (req.method === 'GET' || req.method === 'HEAD') return serveForm(req, res, form, leads, wantsJson, context)
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use GET or POST')
    await receivePost(req, res, form, leads, findEntity(schema, 'contacts'), findEntity(schema, 'activities'), read, context)
  } catch (thrown) {
    // the lead was not stored (storage failed: a 503 to try again, see serverUpdateProblem)
    const error = thrown instanceof ServerUpdateError ? serverUpdateProblem(thrown) : thrown
    if (!(error instanceof HttpError) && !(error instanceof FormRefusal) && !(error instanceof ProblemError)) throw error
    const status = error.status
    const headers = error instanceof HttpError ? {} : error.headers
    if (wantsJson) sendProblem(res, status, problemTitle(status), error.message, error instanceof HttpError ? undefined : error.errors, { ...CORS, ...headers })
    else sendHtml(res, status, messagePage(problemTitle(status), error.message, req.method === 'POST' ? pathname : undefined), headers)
  }
}

/** A refused post: its status, why, and each bad input by name. */
class FormRefusal extends Error {
  constructor(readonly status: number, message: string, readonly errors?: FieldProblem[], readonly headers: Record<string, string> = {}) {
    super(message)
  }
}

function prefersJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? ''
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept)
}

function serveForm(req: IncomingMessage, res: ServerResponse, form: WebForm, leads: EntityDef, json: boolean, context: WebFormsContext): void {
  const served = signServedAt(context.secret, form.id, (context.now ?? Date.now)())
  if (json) {
    const body = {
      id: form.id,
      name: form.name,
      fields: shownFields(form, leads).map((f) => ({ key: f.key, label: f.shownLabel, type: f.field.type, required: f.required, ...(f.field.options ? { options: f.field.options } : {}) })),
      consent_text: form.consentText,
      thank_you_text: form.thankYouText,
      redirect_url: form.redirectUrl || null,
      honeypot: HONEYPOT_INPUT,
      served_at: { name: SERVED_AT_INPUT, value: served },
      page_url: PAGE_URL_INPUT,
    }
    const text = JSON.stringify(body)
    res.writeHead(200, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : text)
    return
  }
  const query = new URL(req.url ?? '/', 'http://relay.invalid').searchParams
  const hidden: Record<string, string> = { [SERVED_AT_INPUT]: served }
  // the page's campaign and where the visitor came from travel with the post
  for (const key of TRACKING_KEYS) {
    const value = key === 'referrer' ? req.headers.referer : query.get(key)
    if (value && fieldByKey(leads, key)) hidden[key] = value.slice(0, 2000)
  }
  sendHtml(res, 200, hostedFormPage(form, leads, { action: formAction(form), hidden }), {}, req.method === 'HEAD', form)
}

/** Relative: the hosted page posts to the origin it came from, whatever name the relay has there. */
const formAction = (form: WebForm) => `${FORM_PATH_PREFIX}${encodeURIComponent(form.id)}`

async function receivePost(req: IncomingMessage, res: ServerResponse, form: WebForm, leads: EntityDef, contacts: EntityDef | undefined, activities: EntityDef | undefined, read: ApiReadContext, context: WebFormsContext): Promise<void> {
  const limited = context.rateLimit?.take(req.socket.remoteAddress ?? 'unknown', form.id)
  if (limited) {
    const who = limited.which === 'address' ? 'from your address' : 'to this form'
    throw new FormRefusal(429, `too many posts ${who}; try again in ${limited.retryAfterS} s`, undefined, { 'Retry-After': String(limited.retryAfterS) })
  }
  const post = await readFormPost(req)
  const json = post.kind === 'json'
  const token = post.fields[SERVED_AT_INPUT]
  // a plain form pasted into a site carries no token: it is not timed
  if (token !== undefined && token !== '') {
    const tooSoon = servedAtProblem(context.secret, form.id, String(token), (context.now ?? Date.now)())
    if (tooSoon) throw new FormRefusal(422, tooSoon, [{ field: SERVED_AT_INPUT, message: tooSoon }])
  }
  const submission = readFormSubmission(form, leads, post.fields, { referer: refererOf(req), read })
  if (submission.kind === 'refused') {
    const message = `the form was not sent: ${submission.errors.map((e) => e.message).join('; ')}`
    if (json) throw new FormRefusal(422, message, submission.errors)
    const errors = Object.fromEntries(submission.errors.map((e) => [e.field, e.message]))
    const values = Object.fromEntries(Object.entries(post.fields).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== SERVED_AT_INPUT))
    const hidden = Object.fromEntries(Object.entries(values).filter(([k]) => (TRACKING_KEYS as readonly string[]).includes(k) || k === SERVED_AT_INPUT))
    if (typeof token === 'string') hidden[SERVED_AT_INPUT] = token
    const known = new Set(shownFields(form, leads).map((f) => f.key))
    const formLevel = submission.errors.filter((e) => !known.has(e.field)).map((e) => e.message)
    if (formLevel.length) errors._form = formLevel.join('; ')
    sendHtml(res, 422, hostedFormPage(form, leads, { action: formAction(form), hidden, values, errors }), {}, false, form)
    return
  }
  // a bot that filled the honeypot gets the same answer as a person, and nothing is created
  if (submission.kind === 'lead') await submitLead(form, submission, { leads, contacts, activities, read }, context)
  if (json) {
    const text = JSON.stringify({ ok: true })
    res.writeHead(201, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
    res.end(text)
    return
  }
  if (form.redirectUrl) {
    res.writeHead(303, { Location: form.redirectUrl, 'Cache-Control': 'no-store', ...CORS })
    res.end()
    return
  }
  sendHtml(res, 200, messagePage(form.name, form.thankYouText || 'Thank you!'), {}, false, form)
}

function refererOf(req: IncomingMessage): string | undefined {
  const referer = req.headers.referer
  if (!referer || !URL.canParse(referer)) return undefined
  // our own hosted page carries the visitor's referrer in a hidden input instead
  return new URL(referer).pathname.startsWith(FORM_PATH_PREFIX) ? undefined : referer
}

/** Hosted pages: only our stylesheet, posts to this origin, and a redirect to the form's thank-you URL. */
function formPagePolicy(form?: WebForm): string {
  const redirect = form?.redirectUrl ? ` ${new URL(form.redirectUrl).origin}` : ''
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'${redirect}; base-uri 'none'; frame-ancestors 'none'`
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string>, headOnly = false, form?: WebForm): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': formPagePolicy(form),
    ...headers,
  })
  res.end(headOnly ? undefined : html)
}

const EMBED_DIR = join(PROJECT_ROOT, 'public')

async function serveEmbedFile(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'use GET')
  const body = await readFile(join(EMBED_DIR, pathname))
  res.writeHead(200, {
    'Content-Type': EMBED_PATHS[pathname]!,
    'Content-Length': body.byteLength,
    // pages of any site load these
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': 'public, max-age=300',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
