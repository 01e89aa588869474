import { emptyNumberLedger, nextDocumentNumber } from '../../src/domain/deals/dealDocuments'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { ApiKey } from '../auth/apiKey'
import type { Member } from '../auth/member'
import type { RelayStorage, StoredApiKey, StoredMember, StoredRow } from './relayStorage'

interface Row { seq: number; update: Uint8Array; stateVector: Uint8Array | null }

/** RelayStorage in memory: for tests and throwaway relays. Nothing survives the process. */
export function createMemoryStorage(): RelayStorage {
  const documents = new Map<string, Row[]>()
  const rowSnapshots = new Map<string, { seq: number; bytes: Uint8Array }>()
  const members = new Map<string, StoredMember>()
  let history: HistoryEntry[] = []
  const apiKeys = new Map<string, StoredApiKey>()
  /** Per document, the seq of its compacted base row. */
  const compactedUpTo = new Map<string, number>()
  const ruleFirings = new Set<string>()
  const firingKey = (k: { ruleId: string; recordId: string; triggerKey: string }) => JSON.stringify([k.ruleId, k.recordId, k.triggerKey])
  let documentNumbers = emptyNumberLedger
  let nextSeq = 1
  let version = 0
  let closed = false

  const assertOpen = () => {
    if (closed) throw new Error('storage is closed')
  }
  const publicMember = ({ tokenHash: _tokenHash, ...member }: StoredMember): Member => ({ ...member })
  const publicKey = ({ keyHash: _keyHash, ...key }: StoredApiKey): ApiKey => ({ ...key })

  const append = (name: string, update: Uint8Array): number => {
    const seq = nextSeq++
    let rows = documents.get(name)
    if (!rows) documents.set(name, (rows = []))
    rows.push({ seq, update: update.slice(), stateVector: null })
    return seq
  }

  return {
    file: null,
    loadDocument(name) {
      assertOpen()
      return (documents.get(name) ?? []).map((row) => row.update.slice())
    },
    loadRows(name) {
      assertOpen()
      return (documents.get(name) ?? []).map((row): StoredRow => ({ seq: row.seq, update: row.update.slice(), stateVector: row.stateVector?.slice() ?? null }))
    },
    documentSize(name) {
      assertOpen()
      const rows = documents.get(name) ?? []
      return { rows: rows.length, bytes: rows.reduce((n, row) => n + row.update.byteLength, 0) }
    },
    lastSeq(name) {
      assertOpen()
      return documents.get(name)?.at(-1)?.seq ?? 0
    },
    appendUpdate(name, update) {
      assertOpen()
      return append(name, update)
    },
    appendUpdates(entries) {
      assertOpen()
      return entries.map(({ name, update }) => append(name, update))
    },
    putRows(entries) {
      assertOpen()
      for (const { name, seq, update } of entries) {
        let rows = documents.get(name)
        if (!rows) documents.set(name, (rows = []))
        if (rows.some((row) => row.seq === seq) || seq <= (compactedUpTo.get(name) ?? 0)) continue
        rows.push({ seq, update: update.slice(), stateVector: null })
        rows.sort((a, b) => a.seq - b.seq)
        nextSeq = Math.max(nextSeq, seq + 1)
      }
    },
    compact(name, merged, upToSeq, stateVector) {
      assertOpen()
      const rows = documents.get(name) ?? []
      if (!rows.some((row) => row.seq === upToSeq)) throw new Error(`compact: document "${name}" has no row with seq ${upToSeq}`)
      const kept = rows.filter((row) => row.seq > upToSeq)
      documents.set(name, [{ seq: upToSeq, update: merged.slice(), stateVector: stateVector?.slice() ?? null }, ...kept])
      compactedUpTo.set(name, upToSeq)
    },
    storeStateVector(name, seq, stateVector) {
      assertOpen()
      const row = documents.get(name)?.find((r) => r.seq === seq)
      if (row) row.stateVector = stateVector.slice()
    },
    listDocuments() {
      assertOpen()
      return [...documents.keys()].sort()
    },
    loadRowSnapshot(name) {
      assertOpen()
      const saved = rowSnapshots.get(name)
      return saved ? { seq: saved.seq, bytes: saved.bytes.slice() } : null
    },
    saveRowSnapshot(name, seq, bytes) {
      assertOpen()
      rowSnapshots.set(name, { seq, bytes: bytes.slice() })
    },
    addMember(member) {
      assertOpen()
      if (members.has(member.id)) throw new Error(`member id ${member.id} already exists`)
      for (const other of members.values()) {
        if (other.tokenHash === member.tokenHash) throw new Error('a member with this token already exists')
      }
      members.set(member.id, { ...member })
      version++
    },
    listMembers() {
      assertOpen()
      return [...members.values()]
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map(publicMember)
    },
    getMember(id) {
      assertOpen()
      const member = members.get(id)
      return member ? publicMember(member) : null
    },
    findMemberByTokenHash(tokenHash) {
      assertOpen()
      for (const member of members.values()) if (member.tokenHash === tokenHash) return publicMember(member)
      return null
    },
    updateMemberProfile(id, profile) {
      assertOpen()
      const member = members.get(id)
      if (!member) return null
      for (const key of ['email', 'extension', 'phoneScheme'] as const) {
        const value = profile[key]
        if (value === null) delete member[key]
        else if (value !== undefined) (member as Record<typeof key, string>)[key] = value
      }
      version++
      return publicMember(member)
    },
    revokeMember(id, revokedAt) {
      assertOpen()
      const member = members.get(id)
      if (!member) return null
      if (member.revokedAt === undefined) {
        member.revokedAt = revokedAt
        version++
      }
      return publicMember(member)
    },
    membersVersion() {
      assertOpen()
      return version
    },
    addApiKey(key) {
      assertOpen()
      if (apiKeys.has(key.id)) throw new Error(`API key id ${key.id} already exists`)
      for (const other of apiKeys.values()) {
        if (other.keyHash === key.keyHash) throw new Error('an API key with this hash already exists')
      }
      apiKeys.set(key.id, { ...key })
    },
    listApiKeys() {
      assertOpen()
      return [...apiKeys.values()]
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map(publicKey)
    },
    getApiKey(id) {
      assertOpen()
      const key = apiKeys.get(id)
      return key ? publicKey(key) : null
    },
    findApiKeyByHash(keyHash) {
      assertOpen()
      for (const key of apiKeys.values()) if (key.keyHash === keyHash) return publicKey(key)
      return null
    },
    revokeApiKey(id, revokedAt) {
      assertOpen()
      const key = apiKeys.get(id)
      if (!key) return null
      key.revokedAt ??= revokedAt
      return publicKey(key)
    },
    appendHistory(entries) {
      assertOpen()
      for (const e of entries) history.push({ ...e })
    },
    readHistory(entityId, recordId, limit) {
      assertOpen()
      return newestFirst(history.filter((e) => e.entityId === entityId && e.recordId === recordId)).slice(0, limit)
    },
    forgetHistory(entityId, recordIds) {
      assertOpen()
      const gone = new Set(recordIds)
      const before = history.length
      history = history.filter((e) => e.entityId !== entityId || !gone.has(e.recordId))
      return before - history.length
    },
    lastFieldWrite(entityId, recordId, fieldId) {
      assertOpen()
      return history.findLast((e) => e.entityId === entityId && e.recordId === recordId && e.fieldId === fieldId && e.kind !== 'conflict') ?? null
    },
    recordRuleFiring(firing) {
      assertOpen()
      const key = firingKey(firing)
      if (ruleFirings.has(key)) return false
      ruleFirings.add(key)
      return true
    },
    ruleFired: (key) => ruleFirings.has(firingKey(key)),
    assignDocumentNumber(issueId, kind, year) {
      assertOpen()
      const next = nextDocumentNumber(documentNumbers, issueId, kind, year)
      documentNumbers = next.ledger
      return next.number
    },
    checkWritable() {
      assertOpen()
    },
    checkpoint() {
      assertOpen()
    },
    close() {
      closed = true
    },
  }
}

/** Newest first; entries of the same time in reverse order of appending (as SQLite's id order). */
function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  return entries.map((e, k) => ({ e, k })).sort((a, b) => (a.e.at === b.e.at ? b.k - a.k : a.e.at < b.e.at ? 1 : -1)).map(({ e }) => e)
}
