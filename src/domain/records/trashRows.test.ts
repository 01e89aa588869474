import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import { trashRows } from './trashRows'

const row = (id: string, meta: Partial<Row> = {}): Row => ({ id, values: {}, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1', ...meta })

describe('trashRows', () => {
  it('lists deleted records only, the newest deletion first', () => {
    const rows = [
      row('live'),
      row('old', { deletedAt: '2026-02-01T10:00:00.000Z', deletedBy: 'm1' }),
      row('new', { deletedAt: '2026-03-01T10:00:00.000Z', deletedBy: 'm2' }),
      row('mid', { deletedAt: '2026-02-15T10:00:00.000Z' }),
    ]
    expect(trashRows(rows).map((r) => r.id)).toEqual(['new', 'mid', 'old'])
  })

  it('leaves out purged records and deleted records whose create was undone', () => {
    const rows = [
      row('purged', { deletedAt: '2026-02-01T10:00:00.000Z', purgedAt: '2026-02-02T10:00:00.000Z' }),
      row('undone', { createdAt: '', deletedAt: '2026-02-01T10:00:00.000Z' }),
      row('kept', { deletedAt: '2026-02-01T10:00:00.000Z' }),
    ]
    expect(trashRows(rows).map((r) => r.id)).toEqual(['kept'])
  })

  it('orders deletions of the same time by id, alike on every copy', () => {
    const at = '2026-02-01T10:00:00.000Z'
    expect(trashRows([row('b', { deletedAt: at }), row('a', { deletedAt: at })]).map((r) => r.id)).toEqual(['a', 'b'])
  })
})
