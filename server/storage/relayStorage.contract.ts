import { afterEach, describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../src/domain/history/historyEntry'
import type { RelayStorage, StoredApiKey, StoredMember } from './relayStorage'

export interface StorageFactory {
  create(): RelayStorage
  /** Closes `storage` and opens the same data again; omitted for storage that cannot persist. */
  reopen?(storage: RelayStorage): RelayStorage
}

const bytes = (...values: number[]) => new Uint8Array(values)

function member(id: string, overrides: Partial<StoredMember> = {}): StoredMember {
  return { id, name: `Member ${id}`, role: 'editor', tokenHash: `hash-${id}`, createdAt: `2026-01-0${id.length}T00:00:00.000Z`, ...overrides }
}

function apiKey(id: string, overrides: Partial<StoredApiKey> = {}): StoredApiKey {
  return { id, name: `Key ${id}`, role: 'viewer', keyHash: `keyhash-${id}`, createdAt: `2026-01-0${id.length}T00:00:00.000Z`, ...overrides }
}

/** The behaviour every RelayStorage must have; run once per implementation. */
export function describeRelayStorageContract(label: string, factory: StorageFactory): void {
  describe(`RelayStorage contract: ${label}`, () => {
    let open: RelayStorage[] = []
    const create = () => {
      const storage = factory.create()
      open.push(storage)
      return storage
    }
    afterEach(() => {
      for (const storage of open) storage.close()
      open = []
    })

    it('an unknown document loads as an empty log with seq 0', () => {
      const storage = create()
      expect(storage.loadDocument('nothing')).toEqual([])
      expect(storage.lastSeq('nothing')).toBe(0)
    })

    it('appends return increasing seqs and load returns the log in order', () => {
      const storage = create()
      const a = storage.appendUpdate('doc', bytes(1))
      const b = storage.appendUpdate('doc', bytes(2, 2))
      const c = storage.appendUpdate('doc', bytes(3, 3, 3))
      expect(a).toBeLessThan(b)
      expect(b).toBeLessThan(c)
      expect(storage.lastSeq('doc')).toBe(c)
      expect(storage.loadDocument('doc').map((u) => [...u])).toEqual([[1], [2, 2], [3, 3, 3]])
    })

    it('keeps documents apart', () => {
      const storage = create()
      storage.appendUpdate('a', bytes(1))
      storage.appendUpdate('b', bytes(2))
      storage.appendUpdate('a', bytes(3))
      expect(storage.loadDocument('a').map((u) => [...u])).toEqual([[1], [3]])
      expect(storage.loadDocument('b').map((u) => [...u])).toEqual([[2]])
      expect(storage.listDocuments()).toEqual(['a', 'b'])
    })

    it('stores a copy: later changes to the caller’s buffer do not leak in', () => {
      const storage = create()
      const update = bytes(7, 7)
      storage.appendUpdate('doc', update.subarray(0, 2))
      update[0] = 9
      expect([...(storage.loadDocument('doc')[0] ?? [])]).toEqual([7, 7])
    })

    it('putRows stores rows under the seqs given, in seq order, and skips rows it has or a compaction merged', () => {
      const storage = create()
      const first = storage.appendUpdate('doc', bytes(1))
      storage.putRows([
        { name: 'doc', seq: first + 10, update: bytes(3) },
        { name: 'doc', seq: first + 5, update: bytes(2) },
        { name: 'other', seq: 7, update: bytes(9) },
      ])
      expect(storage.loadRows('doc').map((row) => [row.seq, ...row.update])).toEqual([[first, 1], [first + 5, 2], [first + 10, 3]])
      expect(storage.lastSeq('doc')).toBe(first + 10)
      expect(storage.appendUpdate('doc', bytes(4))).toBeGreaterThan(first + 10)
      // A replay of the same rows changes nothing.
      storage.putRows([{ name: 'doc', seq: first + 5, update: bytes(2) }])
      expect(storage.loadDocument('doc')).toHaveLength(4)
      // Rows at or below a compacted base were merged into it.
      storage.compact('doc', bytes(1, 2, 3), first + 10)
      storage.putRows([{ name: 'doc', seq: first + 5, update: bytes(2) }, { name: 'doc', seq: first + 10, update: bytes(3) }])
      expect(storage.loadDocument('doc').map((u) => [...u])).toEqual([[1, 2, 3], [4]])
      expect(storage.loadDocument('other').map((u) => [...u])).toEqual([[9]])
    })

    it('compact replaces the rows up to a seq by the merged update and keeps later rows', () => {
      const storage = create()
      storage.appendUpdate('doc', bytes(1))
      const second = storage.appendUpdate('doc', bytes(2))
      const third = storage.appendUpdate('doc', bytes(3))
      storage.appendUpdate('other', bytes(4))
      storage.compact('doc', bytes(1, 2), second)
      expect(storage.loadDocument('doc').map((u) => [...u])).toEqual([[1, 2], [3]])
      expect(storage.lastSeq('doc')).toBe(third)
      expect(storage.loadDocument('other').map((u) => [...u])).toEqual([[4]])
      const fourth = storage.appendUpdate('doc', bytes(5))
      expect(fourth).toBeGreaterThan(third)
      storage.compact('doc', bytes(1, 2, 3, 5), fourth)
      expect(storage.loadDocument('doc').map((u) => [...u])).toEqual([[1, 2, 3, 5]])
      expect(storage.lastSeq('doc')).toBe(fourth)
    })

    it('compact refuses a seq that is not in the document’s log', () => {
      const storage = create()
      const own = storage.appendUpdate('doc', bytes(1))
      storage.appendUpdate('other', bytes(2))
      expect(() => storage.compact('doc', bytes(9), own + 1000)).toThrow(/no row with seq/)
      expect(storage.loadDocument('doc').map((u) => [...u])).toEqual([[1]])
      expect(storage.loadDocument('other').map((u) => [...u])).toEqual([[2]])
    })

    it('appends a batch of updates for several documents at once, in order', () => {
      const storage = create()
      const first = storage.appendUpdate('a', bytes(1))
      const seqs = storage.appendUpdates([
        { name: 'a', update: bytes(2) },
        { name: 'b', update: bytes(3) },
        { name: 'a', update: bytes(4) },
      ])
      expect(seqs).toHaveLength(3)
      expect(seqs[0]).toBeGreaterThan(first)
      expect(seqs[2]).toBeGreaterThan(seqs[0] as number)
      expect(storage.loadDocument('a').map((u) => [...u])).toEqual([[1], [2], [4]])
      expect(storage.loadDocument('b').map((u) => [...u])).toEqual([[3]])
      expect(storage.lastSeq('a')).toBe(seqs[2])
      expect(storage.appendUpdates([])).toEqual([])
    })

    it('loads rows with their seqs and the state vector kept with a compacted row', () => {
      const storage = create()
      storage.appendUpdate('doc', bytes(1))
      const second = storage.appendUpdate('doc', bytes(2))
      storage.compact('doc', bytes(1, 2), second, bytes(7, 7))
      const third = storage.appendUpdate('doc', bytes(3))
      expect(storage.loadRows('doc').map((r) => ({ ...r, update: [...r.update], stateVector: r.stateVector && [...r.stateVector] }))).toEqual([
        { seq: second, update: [1, 2], stateVector: [7, 7] },
        { seq: third, update: [3], stateVector: null },
      ])
      expect(storage.documentSize('doc')).toEqual({ rows: 2, bytes: 3 })
      expect(storage.documentSize('nothing')).toEqual({ rows: 0, bytes: 0 })
    })

    it('keeps a state vector for the first row of a log that was never compacted', () => {
      const storage = create()
      const first = storage.appendUpdate('doc', bytes(1))
      const second = storage.appendUpdate('doc', bytes(2))
      storage.storeStateVector('doc', first, bytes(5))
      const rows = storage.loadRows('doc')
      expect(rows.map((r) => [r.seq, [...r.update], r.stateVector && [...r.stateVector]])).toEqual([[first, [1], [5]], [second, [2], null]])
      const third = storage.appendUpdate('doc', bytes(3))
      expect(third).toBeGreaterThan(second)
      expect(storage.listDocuments()).toEqual(['doc'])
    })

    it('keeps one row snapshot per document, replaced by the next, apart from the document itself', () => {
      const storage = create()
      expect(storage.loadRowSnapshot('entity-contacts')).toBeNull()
      storage.saveRowSnapshot('entity-contacts', 3, bytes(7, 8))
      storage.saveRowSnapshot('entity-deals', 1, bytes(9))
      storage.saveRowSnapshot('entity-contacts', 5, bytes(1, 2, 3))
      const saved = storage.loadRowSnapshot('entity-contacts')
      expect(saved && { seq: saved.seq, bytes: [...saved.bytes] }).toEqual({ seq: 5, bytes: [1, 2, 3] })
      expect(storage.listDocuments()).toEqual([])
    })

    it('adds, lists and finds members without exposing the token hash', () => {
      const storage = create()
      storage.addMember(member('b', { role: 'viewer' }))
      storage.addMember(member('a', { role: 'admin', createdAt: '2025-12-31T00:00:00.000Z' }))
      expect(storage.listMembers().map((m) => m.id)).toEqual(['a', 'b'])
      expect(storage.getMember('b')).toEqual({ id: 'b', name: 'Member b', role: 'viewer', createdAt: '2026-01-01T00:00:00.000Z' })
      expect(storage.findMemberByTokenHash('hash-a')?.id).toBe('a')
      expect(storage.findMemberByTokenHash('nope')).toBeNull()
      expect(storage.getMember('zz')).toBeNull()
      expect(JSON.stringify(storage.listMembers())).not.toContain('hash-')
    })

    it('refuses a duplicate id or token hash', () => {
      const storage = create()
      storage.addMember(member('a'))
      expect(() => storage.addMember(member('a', { tokenHash: 'other' }))).toThrow()
      expect(() => storage.addMember(member('c', { tokenHash: 'hash-a' }))).toThrow()
      expect(storage.listMembers()).toHaveLength(1)
    })

    it('revokes once, keeps the first revokedAt, and reports unknown ids as null', () => {
      const storage = create()
      storage.addMember(member('a'))
      const first = storage.revokeMember('a', '2026-02-01T00:00:00.000Z')
      expect(first?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.revokeMember('a', '2026-03-01T00:00:00.000Z')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.findMemberByTokenHash('hash-a')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.revokeMember('missing', '2026-02-01T00:00:00.000Z')).toBeNull()
    })

    it('sets, keeps and clears a member\'s call settings (email, extension, phone scheme)', () => {
      const storage = create()
      storage.addMember(member('a'))
      expect(storage.updateMemberProfile('a', { email: 'ann@example.com', extension: '201' })).toMatchObject({ email: 'ann@example.com', extension: '201' })
      const v = storage.membersVersion()
      expect(storage.updateMemberProfile('a', { phoneScheme: 'sip' })).toMatchObject({ email: 'ann@example.com', extension: '201', phoneScheme: 'sip' })
      expect(storage.membersVersion()).toBeGreaterThan(v)
      const cleared = storage.updateMemberProfile('a', { extension: null })
      expect(cleared).not.toHaveProperty('extension')
      expect(storage.findMemberByTokenHash('hash-a')).toMatchObject({ email: 'ann@example.com', phoneScheme: 'sip' })
      expect(storage.listMembers()[0]).not.toHaveProperty('tokenHash')
      expect(storage.updateMemberProfile('missing', { email: null })).toBeNull()
    })

    it('bumps membersVersion on every member change and only then', () => {
      const storage = create()
      const v0 = storage.membersVersion()
      storage.appendUpdate('doc', bytes(1))
      expect(storage.membersVersion()).toBe(v0)
      storage.addMember(member('a'))
      const v1 = storage.membersVersion()
      expect(v1).toBeGreaterThan(v0)
      storage.revokeMember('a', '2026-02-01T00:00:00.000Z')
      const v2 = storage.membersVersion()
      expect(v2).toBeGreaterThan(v1)
      storage.revokeMember('a', '2026-02-02T00:00:00.000Z')
      expect(storage.membersVersion()).toBe(v2)
    })

    it('adds, lists and finds API keys without exposing their hashes', () => {
      const storage = create()
      storage.addApiKey(apiKey('b', { role: 'editor' }))
      storage.addApiKey(apiKey('a', { role: 'admin', createdAt: '2025-12-31T00:00:00.000Z' }))
      expect(storage.listApiKeys().map((k) => k.id)).toEqual(['a', 'b'])
      expect(storage.getApiKey('b')).toEqual({ id: 'b', name: 'Key b', role: 'editor', createdAt: '2026-01-01T00:00:00.000Z' })
      expect(storage.findApiKeyByHash('keyhash-a')?.id).toBe('a')
      expect(storage.findApiKeyByHash('hash-a')).toBeNull()
      expect(storage.getApiKey('zz')).toBeNull()
      expect(JSON.stringify(storage.listApiKeys())).not.toContain('keyhash-')
    })

    it('keeps API keys apart from members: neither is found by the other\'s hash or id', () => {
      const storage = create()
      storage.addMember(member('a', { tokenHash: 'same' }))
      storage.addApiKey(apiKey('k', { keyHash: 'same' }))
      expect(storage.listMembers().map((m) => m.id)).toEqual(['a'])
      expect(storage.listApiKeys().map((k) => k.id)).toEqual(['k'])
      expect(storage.getMember('k')).toBeNull()
      expect(storage.getApiKey('a')).toBeNull()
    })

    it('refuses an API key with a duplicate id or hash', () => {
      const storage = create()
      storage.addApiKey(apiKey('a'))
      expect(() => storage.addApiKey(apiKey('a', { keyHash: 'other' }))).toThrow()
      expect(() => storage.addApiKey(apiKey('c', { keyHash: 'keyhash-a' }))).toThrow()
      expect(storage.listApiKeys()).toHaveLength(1)
    })

    it('revokes an API key once, keeps the first revokedAt, and reports unknown ids as null', () => {
      const storage = create()
      storage.addApiKey(apiKey('a'))
      expect(storage.revokeApiKey('a', '2026-02-01T00:00:00.000Z')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.revokeApiKey('a', '2026-03-01T00:00:00.000Z')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.findApiKeyByHash('keyhash-a')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(storage.revokeApiKey('missing', '2026-02-01T00:00:00.000Z')).toBeNull()
    })

    it('numbers documents once per issue id, one sequence per kind and year', () => {
      const storage = create()
      expect(storage.assignDocumentNumber('a', 'quote', 2026)).toEqual({ issueId: 'a', kind: 'quote', year: 2026, seq: 1, number: 'Q-2026-0001' })
      expect(storage.assignDocumentNumber('b', 'quote', 2026).number).toBe('Q-2026-0002')
      expect(storage.assignDocumentNumber('c', 'invoice', 2026).number).toBe('INV-2026-0001')
      expect(storage.assignDocumentNumber('d', 'quote', 2027).number).toBe('Q-2027-0001')
      // asked again (a repeated check, another relay's follower): the same number, nothing counted
      expect(storage.assignDocumentNumber('a', 'quote', 2026).number).toBe('Q-2026-0001')
      expect(storage.assignDocumentNumber('a', 'invoice', 2027).number).toBe('Q-2026-0001')
      expect(storage.assignDocumentNumber('e', 'quote', 2026).number).toBe('Q-2026-0003')
    })

    it('keeps record history per record, newest first, values as stored, and finds a field\'s last write past conflicts', () => {
      const storage = create()
      const entry = (at: string, fieldId: string | null, to: unknown, kind: HistoryEntry['kind'] = 'set', recordId = 'r1'): HistoryEntry => ({
        entityId: 'contacts', recordId, at, memberId: 'm1', memberName: 'Ann', via: 'app', fieldId, from: null, to: to as HistoryEntry['to'], kind,
      })
      storage.appendHistory([
        entry('2026-03-01T10:00:00.000Z', null, null, 'created'),
        entry('2026-03-01T10:00:00.000Z', 'contacts.email', 'a@x.io'),
        entry('2026-03-01T11:00:00.000Z', 'contacts.amount', { amount: 1250, currency: 'EUR' }),
        entry('2026-03-01T12:00:00.000Z', 'contacts.email', 'lost@x.io', 'conflict'),
        entry('2026-03-01T09:00:00.000Z', 'contacts.email', 'other@x.io', 'set', 'r2'),
      ])
      const history = storage.readHistory('contacts', 'r1', 10)
      expect(history.map((e) => [e.kind, e.fieldId])).toEqual([['conflict', 'contacts.email'], ['set', 'contacts.amount'], ['set', 'contacts.email'], ['created', null]])
      expect(history[1]!.to).toEqual({ amount: 1250, currency: 'EUR' })
      expect(history[3]).toEqual(entry('2026-03-01T10:00:00.000Z', null, null, 'created'))
      expect(storage.readHistory('contacts', 'r1', 2)).toHaveLength(2)
      expect(storage.readHistory('deals', 'r1', 10)).toEqual([])
      expect(storage.lastFieldWrite('contacts', 'r1', 'contacts.email')?.to).toBe('a@x.io')
      expect(storage.lastFieldWrite('contacts', 'r1', 'contacts.phone')).toBeNull()
      // an edit made offline, dated before the last one, arrives later: it is the last write
      storage.appendHistory([entry('2026-03-01T08:00:00.000Z', 'contacts.email', 'offline@x.io')])
      expect(storage.lastFieldWrite('contacts', 'r1', 'contacts.email')?.to).toBe('offline@x.io')
      // a purged record's history goes with it; other records' stays
      expect(storage.forgetHistory('contacts', ['r1'])).toBe(5)
      expect(storage.readHistory('contacts', 'r1', 10)).toEqual([])
      expect(storage.lastFieldWrite('contacts', 'r1', 'contacts.email')).toBeNull()
      expect(storage.readHistory('contacts', 'r2', 10)).toHaveLength(1)
    })

    it('keeps each time-based rule firing once per rule, record and trigger key', () => {
      const storage = create()
      const key = { ruleId: 'r1', recordId: 'a', triggerKey: 'dateOffset:2026-12-01' }
      expect(storage.ruleFired(key)).toBe(false)
      expect(storage.recordRuleFiring({ ...key, firedAt: '2026-12-01T08:00:00.000Z' })).toBe(true)
      expect(storage.recordRuleFiring({ ...key, firedAt: '2026-12-01T09:00:00.000Z' })).toBe(false)
      expect(storage.ruleFired(key)).toBe(true)
      expect(storage.ruleFired({ ...key, triggerKey: 'dateOffset:2026-12-02' })).toBe(false)
      expect(storage.ruleFired({ ...key, recordId: 'b' })).toBe(false)
      expect(storage.ruleFired({ ...key, ruleId: 'r2' })).toBe(false)
    })

    it('checkWritable succeeds on open storage and fails once closed', () => {
      const storage = create()
      expect(() => storage.checkWritable()).not.toThrow()
      storage.close()
      expect(() => storage.checkWritable()).toThrow()
    })

    if (factory.reopen) {
      const reopen = factory.reopen
      it('keeps documents, members, API keys, document numbers and rule firings after reopening', () => {
        const storage = create()
        storage.appendUpdate('doc', bytes(1))
        const seq = storage.appendUpdate('doc', bytes(2))
        storage.compact('doc', bytes(1, 2), seq)
        storage.appendUpdate('doc', bytes(3))
        storage.addMember(member('a'))
        storage.revokeMember('a', '2026-02-01T00:00:00.000Z')
        storage.addApiKey(apiKey('k'))
        storage.revokeApiKey('k', '2026-02-02T00:00:00.000Z')
        storage.assignDocumentNumber('q1', 'quote', 2026)
        storage.assignDocumentNumber('q2', 'quote', 2026)
        storage.recordRuleFiring({ ruleId: 'r1', recordId: 'a', triggerKey: 'k', firedAt: '2026-12-01T08:00:00.000Z' })
        const version = storage.membersVersion()
        const again = reopen(storage)
        open.push(again)
        expect(again.loadDocument('doc').map((u) => [...u])).toEqual([[1, 2], [3]])
        expect(again.getMember('a')?.revokedAt).toBe('2026-02-01T00:00:00.000Z')
        expect(again.membersVersion()).toBe(version)
        expect(again.findApiKeyByHash('keyhash-k')).toEqual({ ...apiKey('k', { revokedAt: '2026-02-02T00:00:00.000Z' }), keyHash: undefined })
        expect(again.appendUpdate('doc', bytes(4))).toBeGreaterThan(seq)
        expect(again.assignDocumentNumber('q1', 'quote', 2026).number).toBe('Q-2026-0001')
        expect(again.assignDocumentNumber('q3', 'quote', 2026).number).toBe('Q-2026-0003')
        expect(again.ruleFired({ ruleId: 'r1', recordId: 'a', triggerKey: 'k' })).toBe(true)
      })
    }
  })
}
