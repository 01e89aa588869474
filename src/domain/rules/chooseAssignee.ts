import type { Assignee } from './rule'

/** The member whose turn it is: the n-th firing of a rule (counted over every writer) picks members[n % members.length]. */
export function chooseRoundRobin(members: readonly string[], firedCount: number): string | undefined {
  if (members.length === 0) return undefined
  const n = Math.max(0, Math.floor(firedCount))
  return members[n % members.length]
}

/** Who an assignee names: the record's owner (`owner`, the record's owner field), a member, or the member whose turn it is. */
export function chooseAssignee(assignee: Assignee, recordOwner: string | null, firedCount: number): string | null {
  switch (assignee.kind) {
    case 'owner': return recordOwner
    case 'member': return assignee.member
    case 'roundRobin': return chooseRoundRobin(assignee.members, firedCount) ?? null
  }
}
