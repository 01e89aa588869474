import { formatPhone } from '../normalizePhone'
import { fieldByKey, type EntityDef } from '../schema'
import type { CallInput } from './parseCallBody'

/** Whom a call was linked to: at most one record of each kind, and the name it goes by. */
export interface CallLinks {
  contact?: string
  company?: string
  lead?: string
  /** The linked record's name ("Anna Schmidt"), or the number when nobody has it. */
  title: string
}

const OUTCOME_WORDS: Record<string, string> = { answered: '', no_answer: 'no answer', busy: 'busy', failed: 'failed', voicemail: 'voicemail' }

/**
 * The call activity as an API body (keys of the activities entity): type `call`, done, a
 * subject naming the other party, when, the member as owner, the linked records and the call's
 * own facts. Keys the workspace removed are left out, so an admin trimming the entity never
 * breaks a phone system's posts.
 */
export function callActivityBody(activities: EntityDef, call: CallInput, links: CallLinks, ownerId: string | null, country?: string): Record<string, unknown> {
  const outcome = call.outcome ? OUTCOME_WORDS[call.outcome] : ''
  const subject = `${call.direction === 'inbound' ? 'Call from' : 'Call to'} ${links.title}${outcome ? ` (${outcome})` : ''}`
  const body: Record<string, unknown> = {
    type: 'call',
    subject: subject.slice(0, 200),
    due: call.startedAt,
    done: true,
    owner: ownerId,
    related: links.contact ?? null,
    related_company: links.company ?? null,
    related_lead: links.lead ?? null,
    direction: call.direction,
    phone: call.phone,
    duration_s: call.durationS,
    outcome: call.outcome,
    recording_url: call.recordingUrl,
    notes: call.notes ?? `${call.direction === 'inbound' ? 'From' : 'To'} ${formatPhone(call.phone, country)}`,
  }
  return keep(activities, body)
}

/** A lead for an unknown caller: the number as its title and phone, source Phone, the member as owner. */
export function unknownCallerLeadBody(leads: EntityDef, call: CallInput, ownerId: string | null, country?: string): Record<string, unknown> {
  return keep(leads, { title: formatPhone(call.phone, country), phone: call.phone, source: 'Phone', status: 'New', owner: ownerId })
}

function keep(entity: EntityDef, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== null && fieldByKey(entity, key)))
}
