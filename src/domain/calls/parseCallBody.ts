import { normalizePhone } from '../normalizePhone'
import { safeLinkHref } from '../safeLinkHref'
import type { FieldProblem } from '../api/apiRecordCodec'

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const
export const CALL_OUTCOMES = ['answered', 'no_answer', 'busy', 'failed', 'voicemail'] as const
export const CALL_STATUSES = ['ringing', 'completed'] as const
export type CallDirection = (typeof CALL_DIRECTIONS)[number]
export type CallOutcome = (typeof CALL_OUTCOMES)[number]
export type CallStatus = (typeof CALL_STATUSES)[number]

/** A call as posted to POST /api/v1/calls, checked; `phone` is the other party's number in E.164. */
export interface CallInput {
  direction: CallDirection
  status: CallStatus
  from: string
  to: string
  /** The caller for inbound calls, the callee for outbound, normalised with the workspace country. */
  phone: string
  /** ISO 8601 UTC. */
  startedAt: string
  durationS: number | null
  outcome: CallOutcome | null
  recordingUrl: string | null
  /** A member id, email address or extension, as posted; resolved by the relay. */
  member: string | null
  notes: string | null
  /** Overrides the workspace's `callsCreateLeadForUnknown` for this call. */
  createLead: boolean | null
}

export type CallParse = { ok: true; call: CallInput } | { ok: false; errors: FieldProblem[] }

const KEYS = ['direction', 'status', 'from', 'to', 'started_at', 'duration_s', 'outcome', 'recording_url', 'member', 'notes', 'create_lead'] as const
/** A day: longer is a PBX's counter gone wrong, not a call. */
const MAX_DURATION_S = 86_400
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i
const NOTES_MAX = 10_000

/**
 * The body of POST /api/v1/calls → a call, or every refused property by name and why. The other
 * party's number (`from` inbound, `to` outbound) must read as a phone number of the workspace's
 * country or in international form; our own side may be anything a PBX sends (an extension,
 * `sip:201@pbx`). `now` is the start when `started_at` is left out.
 */
export function parseCallBody(body: Record<string, unknown>, workspaceCountry: string | undefined, now: Date): CallParse {
  const errors: FieldProblem[] = []
  const refuse = (field: string, message: string) => errors.push({ field, message })
  for (const key of Object.keys(body)) if (!(KEYS as readonly string[]).includes(key)) refuse(key, `a call has no property "${key}" (send ${KEYS.join(', ')})`)

  const direction = oneOf(body.direction, CALL_DIRECTIONS, 'direction', refuse, true)
  const status = oneOf(body.status, CALL_STATUSES, 'status', refuse, false) ?? 'completed'
  const outcome = oneOf(body.outcome, CALL_OUTCOMES, 'outcome', refuse, false)
  const from = text(body.from, 'from', refuse, direction === 'inbound')
  const to = text(body.to, 'to', refuse, direction === 'outbound')
  const partyKey = direction === 'outbound' ? 'to' : 'from'
  const party = direction === 'outbound' ? to : from
  let phone = ''
  if (direction && party) {
    const parsed = normalizePhone(party.replace(/^(sip|sips|callto):/i, '').replace(/@.*$/, ''), [workspaceCountry])
    if (parsed.ok) phone = parsed.value
    else refuse(partyKey, `"${party}" is not a phone number${workspaceCountry ? ` of ${workspaceCountry} or with a country code (+…)` : ' with a country code (+…); set the workspace country to match national numbers'}`)
  }

  let startedAt = now.toISOString()
  if (body.started_at !== undefined && body.started_at !== null) {
    const value = body.started_at
    const time = typeof value === 'string' && ISO_DATE_TIME.test(value.trim()) ? Date.parse(value.trim()) : NaN
    if (Number.isNaN(time)) refuse('started_at', `${JSON.stringify(value)} is not an ISO 8601 date-time with a time zone (e.g. 2026-11-27T14:03:00Z)`)
    else startedAt = new Date(time).toISOString()
  }

  let durationS: number | null = null
  if (body.duration_s !== undefined && body.duration_s !== null) {
    const value = typeof body.duration_s === 'string' && /^\d+(\.\d+)?$/.test(body.duration_s.trim()) ? Number(body.duration_s) : body.duration_s
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DURATION_S) refuse('duration_s', `must be a number of seconds from 0 to ${MAX_DURATION_S}`)
    else durationS = Math.round(value)
  }

  const recordingUrl = text(body.recording_url, 'recording_url', refuse, false)
  if (recordingUrl && !/^https?:/.test(safeLinkHref(recordingUrl) ?? '')) refuse('recording_url', 'must be an http(s) URL')

  const member = text(body.member, 'member', refuse, status === 'ringing')
  if (status === 'ringing' && !member && !errors.some((e) => e.field === 'member')) refuse('member', 'a ringing call pops up for a member: name them by id, email or extension')
  const notes = text(body.notes, 'notes', refuse, false)
  if (notes && notes.length > NOTES_MAX) refuse('notes', `at most ${NOTES_MAX} characters`)
  let createLead: boolean | null = null
  if (body.create_lead !== undefined && body.create_lead !== null) {
    if (typeof body.create_lead === 'boolean') createLead = body.create_lead
    else refuse('create_lead', 'must be true or false')
  }

  if (errors.length || !direction) return { ok: false, errors }
  return {
    ok: true,
    call: { direction, status, from: from ?? '', to: to ?? '', phone, startedAt, durationS, outcome, recordingUrl, member, notes, createLead },
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, refuse: (field: string, message: string) => void, required: boolean): T | null {
  if (value === undefined || value === null || value === '') {
    if (required) refuse(field, `required: one of ${allowed.join(', ')}`)
    return null
  }
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  refuse(field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`)
  return null
}

function text(value: unknown, field: string, refuse: (field: string, message: string) => void, required: boolean): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    if (required) refuse(field, 'required')
    return null
  }
  if (typeof value === 'number' && field !== 'notes') return String(value)
  if (typeof value !== 'string') {
    refuse(field, 'must be a string')
    return null
  }
  return value.trim()
}
