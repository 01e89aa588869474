import { decodeApiRecordBody, type ApiReadContext } from '../../src/domain/api/apiRecordCodec'
import type { WebForm } from '../../src/domain/forms/webForm'
import { fieldByKey, type EntityDef, type FieldValue, type Row } from '../../src/domain/schema'
import type { Member } from '../auth/member'
import type { EntityStores } from '../api/entityStores'
import { createServerRecord } from '../api/createServerRecord'
import type { RelayRules } from '../automation/relayRules'
import { findRowByContact } from '../../src/domain/findRowByContact'
import type { SyncServer } from '../rooms/syncServer'

export interface FormEntities {
  leads: EntityDef
  contacts?: EntityDef
  activities?: EntityDef
  read: ApiReadContext
}

/** A form's writes carry it as their author, like a member's edits carry the member. */
function formMember(form: WebForm): Member {
  return { id: `form:${form.id}`, name: `Web form “${form.name}”`, role: 'editor', createdAt: '' }
}

/**
 * Stores a read post: a new lead, or — when the form dedupes and a contact has the post's email
 * (compared without case) or phone (both E.164 after parsing) in any of its email or phone fields — a note activity on that contact
 * with the submitted values instead of a duplicate lead. Built through src/crdt on the API's copy
 * of the entity document and stored like a member's edit (written, then forwarded).
 */
export async function submitLead(
  form: WebForm,
  submission: { values: Record<string, FieldValue>; shown: { label: string; text: string }[] },
  entities: FormEntities,
  context: { stores: EntityStores; sync: SyncServer; rules?: () => RelayRules | null },
): Promise<{ entity: 'leads' | 'activities'; id: string }> {
  const { leads, contacts, activities } = entities
  const contact = form.dedupe && contacts && activities ? matchingContact(leads, contacts, submission.values, context.stores) : null
  if (contact && activities) {
    const body = {
      type: 'note',
      subject: `Web form “${form.name}”`.slice(0, 200),
      related: contact.id,
      ...(fieldByKey(activities, 'notes') ? { notes: submission.shown.map((s) => `${s.label}: ${s.text}`).join('\n') } : {}),
    }
    const decoded = decodeApiRecordBody(activities, body, entities.read, true)
    if (!decoded.ok) throw new Error(`the web form's activity was refused: ${decoded.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`)
    return { entity: 'activities', id: await createRecord(activities, decoded.values, form, context) }
  }
  return { entity: 'leads', id: await createRecord(leads, submission.values, form, context) }
}

function matchingContact(leads: EntityDef, contacts: EntityDef, values: Record<string, FieldValue>, stores: EntityStores): Row | null {
  return findRowByContact(contacts, stores.get(contacts.id).store.rows(), { email: valueOf(leads, 'email', values), phone: valueOf(leads, 'phone', values) })
}

function valueOf(entity: EntityDef, key: string, values: Record<string, FieldValue>): string | undefined {
  const id = fieldByKey(entity, key)?.id
  const value = id ? values[id] : undefined
  return typeof value === 'string' && value ? value : undefined
}

async function createRecord(entity: EntityDef, values: Record<string, FieldValue>, form: WebForm, context: { stores: EntityStores; sync: SyncServer; rules?: () => RelayRules | null }): Promise<string> {
  return (await createServerRecord(entity, values, formMember(form), context, 'form')).id
}
