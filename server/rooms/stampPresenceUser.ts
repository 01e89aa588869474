import { memberColor } from '../../src/domain/memberColor'
import type { Member } from '../auth/member'
import { MalformedMessageError } from './malformedMessageError'
import { MAX_AWARENESS_STATE_BYTES, type AwarenessEntry } from './parseClientMessage'

const NULL_STATE = 'null'

/**
 * The entry with its state's `user` set to the member behind the connection ({ id, name,
 * color }, the shape src/sync/presence.ts reads): whatever name or colour a client claims,
 * the others see who it is. A state must be a JSON object (or null: the client left).
 */
export function stampPresenceUser(entry: AwarenessEntry, member: Pick<Member, 'id' | 'name'>): AwarenessEntry {
  if (entry.state === NULL_STATE) return entry
  let state: unknown
  try {
    state = JSON.parse(entry.state)
  } catch {
    throw new MalformedMessageError(`awareness state of client ${entry.clientId} is not JSON`)
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new MalformedMessageError(`awareness state of client ${entry.clientId} is not an object`)
  }
  const stamped = JSON.stringify({ ...state, user: { id: member.id, name: member.name, color: memberColor(member.id) } })
  // Checked again once stamped: a stock client sends back what it receives, and that must pass.
  if (Buffer.byteLength(stamped) > MAX_AWARENESS_STATE_BYTES) {
    throw new MalformedMessageError(`awareness state of client ${entry.clientId} is over ${MAX_AWARENESS_STATE_BYTES} bytes`)
  }
  return { ...entry, state: stamped }
}
