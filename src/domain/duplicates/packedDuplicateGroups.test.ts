import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity, type Row } from '../schema'
import { findDuplicates, type DuplicateGroup } from './findDuplicates'
import { packDuplicateGroups, packedGroupCount, unpackDuplicateGroups } from './packedDuplicateGroups'

const contacts = findEntity(defaultSchema(), 'contacts')!

function contact(id: string, first: string, last: string, email: string, phone = ''): Row {
  return { id, values: { 'contacts.first_name': first, 'contacts.last_name': last, 'contacts.email': email, 'contacts.phone': phone }, createdAt: `2026-01-01T00:00:0${id.length % 10}.000Z`, createdBy: 'm1' }
}

describe('packDuplicateGroups', () => {
  it('gives back every group findDuplicates found, in its order, with its reasons', () => {
    const rows = [
      contact('a', 'Ann', 'Lee', 'ann@x.example'),
      contact('bb', 'Annie', 'Lee', 'ANN@x.example', '+49 30 1234567'),
      contact('ccc', 'Bob', 'Stone', 'bob@x.example', '+49301234567'),
      contact('dddd', 'Carla', 'Montgomery', 'c@x.example'),
      contact('eeeee', 'Carla', 'Montgomary', 'other@x.example'),
      contact('ffffff', 'Dan', 'Solo', 'dan@x.example'),
    ]
    const groups = findDuplicates(contacts, rows)
    expect(groups.length).toBe(2)
    const packed = packDuplicateGroups(groups)
    expect(packedGroupCount(packed)).toBe(2)
    expect(unpackDuplicateGroups(packed, 0, 10)).toEqual(groups)
  })

  it('reads any page, ids of any length and every combination of reasons', () => {
    const groups: DuplicateGroup[] = [
      { ids: ['x', 'yy', 'zzz'], reasons: ['email', 'phone', 'name', 'similarName'] },
      { ids: ['ü-1', 'ü-2'], reasons: ['similarName'] },
      { ids: ['p', 'q'], reasons: ['phone', 'name'] },
    ]
    const packed = packDuplicateGroups(groups)
    expect(unpackDuplicateGroups(packed, 1, 2)).toEqual([groups[1]])
    expect(unpackDuplicateGroups(packed, 2, 500)).toEqual([groups[2]])
    expect(unpackDuplicateGroups(packed, 3, 5)).toEqual([])
    expect(unpackDuplicateGroups(packDuplicateGroups([]), 0, 50)).toEqual([])
    expect(packedGroupCount(packDuplicateGroups([]))).toBe(0)
  })

  it('survives a structured clone with its arrays transferred, as between threads', () => {
    const groups: DuplicateGroup[] = [{ ids: ['a', 'b'], reasons: ['email'] }]
    const packed = packDuplicateGroups(groups)
    const moved = structuredClone(packed, { transfer: [packed.idEnds.buffer, packed.groupEnds.buffer, packed.reasons.buffer] })
    expect(unpackDuplicateGroups(moved, 0, 1)).toEqual(groups)
  })
})
