/**
 * A web-to-lead form (issue 13): workspace configuration, synced in the `schema` document's
 * `forms` map (src/crdt/formDoc.ts), one entry per property so two admins' edits merge.
 */
export interface WebForm {
  /** Stable random id; the form's URL is /f/{id}. */
  id: string
  name: string
  /** The lead fields the form asks for, in order, by API key. */
  fields: WebFormField[]
  /** Shown above the submit button (e.g. what the data is used for); empty: none. */
  consentText: string
  /** Shown after a post when there is no redirect. */
  thankYouText: string
  /** An http(s) URL a browser is sent to (303) after a post; empty: the thank-you text. */
  redirectUrl: string
  /** A post whose email or phone matches a contact logs an activity on it instead of creating a lead. */
  dedupe: boolean
  createdAt: string
  deletedAt?: string
}

export interface WebFormField {
  /** The lead field's API key (`email`); the input's name. */
  key: string
  /** Shown on the form; empty: the field's own label. */
  label: string
  required: boolean
}

export const DEFAULT_THANK_YOU = 'Thank you! We will be in touch soon.'

/** The lead fields a post may carry besides the form's own, filled from the page's URL and Referer. */
export const TRACKING_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer'] as const

/** Input names the relay reads itself; never a field key (keys start with a letter). */
export const HONEYPOT_INPUT = '_homepage'
export const SERVED_AT_INPUT = '_kanso_served'
/** The embed reports the page it renders into; its utm_* and the page itself go onto the lead. */
export const PAGE_URL_INPUT = '_page_url'

/** A post sooner than this after Kanso served the form is refused (a bot, not a person typing). */
export const MIN_FILL_MS = 3000

export const FORM_NAME_MAX = 120
export const FORM_TEXT_MAX = 2000

/** The problems of a form as an admin or the API sends it, by property; empty when it may be saved. */
export function webFormProblems(form: Omit<WebForm, 'id' | 'createdAt'>, leadFieldKeys: readonly string[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  const name = form.name.trim()
  if (!name) problems.push({ field: 'name', message: 'a form needs a name' })
  else if (name.length > FORM_NAME_MAX) problems.push({ field: 'name', message: `a form's name can have at most ${FORM_NAME_MAX} characters` })
  if (form.fields.length === 0) problems.push({ field: 'fields', message: 'pick at least one lead field' })
  const seen = new Set<string>()
  for (const field of form.fields) {
    if (!leadFieldKeys.includes(field.key)) problems.push({ field: 'fields', message: `leads have no field "${field.key}" (fields: ${leadFieldKeys.join(', ')})` })
    else if (seen.has(field.key)) problems.push({ field: 'fields', message: `"${field.key}" is on the form twice` })
    seen.add(field.key)
    if (field.label.length > FORM_NAME_MAX) problems.push({ field: 'fields', message: `the label of "${field.key}" can have at most ${FORM_NAME_MAX} characters` })
  }
  for (const key of ['consentText', 'thankYouText'] as const) {
    if (form[key].length > FORM_TEXT_MAX) problems.push({ field: key, message: `at most ${FORM_TEXT_MAX} characters` })
  }
  if (form.redirectUrl && !isHttpUrl(form.redirectUrl)) problems.push({ field: 'redirectUrl', message: 'the redirect must be an http:// or https:// URL' })
  return problems
}

export function isHttpUrl(text: string): boolean {
  if (text.length > 2000 || !URL.canParse(text)) return false
  const { protocol } = new URL(text)
  return protocol === 'https:' || protocol === 'http:'
}
