import { createSignal, type Accessor } from 'solid-js'
import type { MemberInfo, RelayApi } from './relayApi'

const MEMBERS_KEY = 'kanso.members'

function lastKnownMembers(): MemberInfo[] {
  const saved = localStorage.getItem(MEMBERS_KEY)
  return saved ? (JSON.parse(saved) as MemberInfo[]) : []
}

/**
 * The workspace's members (owner and member fields show and match their names): the list this
 * device last saw at once — the first list painted after a load showed raw ids and refused
 * "Admin" while the relay was asked — then the relay's answer, kept for the next load and offline.
 */
export function createMemberDirectory(api: RelayApi): { members: Accessor<MemberInfo[]>; refresh: () => Promise<void> } {
  const [members, setMembers] = createSignal<MemberInfo[]>(lastKnownMembers())
  const refresh = async () => {
    try {
      const list = await api.members()
      localStorage.setItem(MEMBERS_KEY, JSON.stringify(list))
      setMembers(list)
    } catch (err) {
      console.warn('kanso: members list unavailable, using the last known one', err)
    }
  }
  void refresh()
  return { members, refresh }
}
