/** The event name a ringing call has on a member's event stream (GET /api/v1/events). */
export const CALL_RINGING_EVENT = 'call.ringing'

/** What a member's browser gets when a call rings for them: the number and whose it is. */
export interface RingingCall {
  direction: 'inbound' | 'outbound'
  /** E.164. */
  phone: string
  /** The number as people read it (+49 30 1234567). */
  phone_display: string
  started_at: string
  /** The contact, company or lead holding the number (entity key, id, name, company name); null when nobody has it. */
  record: { entity: string; id: string; title: string; company: string | null } | null
}

/** A ringing-call event's data, if it has that shape (the stream is the relay's, but the app reads it defensively). */
export function readRingingCall(data: unknown): RingingCall | null {
  if (typeof data !== 'object' || data === null) return null
  const call = data as Partial<RingingCall>
  if (typeof call.phone !== 'string' || typeof call.phone_display !== 'string') return null
  const record = call.record
  if (record !== null && (typeof record !== 'object' || typeof record?.entity !== 'string' || typeof record.id !== 'string' || typeof record.title !== 'string')) return null
  return { direction: call.direction === 'outbound' ? 'outbound' : 'inbound', phone: call.phone, phone_display: call.phone_display, started_at: String(call.started_at ?? ''), record: record ?? null }
}
