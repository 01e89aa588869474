import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js'
import type { MemberInfo, RelayApi } from './relayApi'

const MEMBERS_KEY = 'kanso.members'

function lastKnownMembers(): MemberInfo[] {
  const saved = localStorage.getItem(MEMBERS_KEY)
  return saved ? (JSON.parse(saved) as MemberInfo[]) : []
}

/** The page's member directories (one per Shell): told about member ids their list lacks. */
const unknownMemberListeners = new Set<(id: string) => void>()

/**
 * A member's name in `members`, or undefined. A miss tells the page's member directory, which
 * reads the list from the relay again: the list is read once per load, so a member who joined
 * since (who issued a quote, owns a deal, edited a cell) showed as a raw id until a reload.
 * Every view that names members by id goes through here (displayValue does for cells).
 */
export function memberNameOf(members: readonly { id: string; name: string }[], id: string): string | undefined {
  const name = members.find((m) => m.id === id)?.name
  if (name === undefined) for (const heard of unknownMemberListeners) heard(id)
  return name
}

export interface MemberDirectory {
  members: Accessor<MemberInfo[]>
  /** Reads the list from the relay now (an admin invited or revoked someone). */
  refresh: () => Promise<void>
}

/**
 * The workspace's members (owner and member fields show and match their names): the list this
 * device last saw at once — the first list painted after a load showed raw ids and refused
 * "Admin" while the relay was asked — then the relay's answer, kept for the next load and offline.
 * An id shown but not in the list (memberNameOf) reads the list again, once per id while the
 * relay answers; ids met while a read is under way get one more read after it if its answer lacks them.
 */
export function createMemberDirectory(api: Pick<RelayApi, 'members'>): MemberDirectory {
  const [members, setMembers] = createSignal<MemberInfo[]>(lastKnownMembers())
  const read = async (): Promise<boolean> => {
    try {
      const list = await api.members()
      localStorage.setItem(MEMBERS_KEY, JSON.stringify(list))
      setMembers(list)
      return true
    } catch (err) {
      console.warn('kanso: members list unavailable, using the last known one', err)
      return false
    }
  }
  // ids already asked about: one the relay does not know either (a deleted member, "api") must
  // not read the list on every paint; a failed read (offline) lets them ask again
  const asked = new Set<string>()
  let reading = false
  // ids met while a read was under way: read once more after it if its answer lacks them
  const waiting = new Set<string>()
  const startRead = () => {
    reading = true
    void read().then((ok) => {
      reading = false
      const missing = [...waiting].filter((id) => !members().some((m) => m.id === id))
      waiting.clear()
      if (!ok) asked.clear()
      else if (missing.length) startRead()
    })
  }
  const onUnknown = (id: string) => {
    if (asked.has(id)) return
    asked.add(id)
    if (reading) waiting.add(id)
    else startRead()
  }
  unknownMemberListeners.add(onUnknown)
  if (getOwner()) onCleanup(() => unknownMemberListeners.delete(onUnknown))
  const refresh = async () => { await read() }
  startRead()
  return { members, refresh }
}
