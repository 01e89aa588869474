import { describe, expect, it } from 'vitest'
import type { Row } from '../schema'
import { parseTrashQuery, trashPage } from './apiTrashPage'

const deleted = (id: string, deletedAt: string): Row => ({ id, values: {}, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm1', deletedAt })
const trash = [
  deleted('e', '2026-03-05T00:00:00.000Z'),
  deleted('c', '2026-03-04T00:00:00.000Z'),
  deleted('d', '2026-03-04T00:00:00.000Z'),
  deleted('a', '2026-03-01T00:00:00.000Z'),
  deleted('b', '2026-02-01T00:00:00.000Z'),
]

const query = (text: string) => {
  const parsed = parseTrashQuery(new URLSearchParams(text))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.query
}

describe('trashPage', () => {
  it('pages through the trash with the cursor, ties included, each row once', () => {
    const seen: string[] = []
    let cursor: string | null = ''
    let pages = 0
    do {
      const page = trashPage(trash, query(`limit=2${cursor ? `&cursor=${cursor}` : ''}`))
      seen.push(...page.rows.map((r) => r.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(seen).toEqual(['e', 'c', 'd', 'a', 'b'])
    expect(pages).toBe(3)
  })

  it('neither repeats nor skips a row that stays when one before the cursor is restored meanwhile', () => {
    const first = trashPage(trash, query('limit=2'))
    const after = trash.filter((r) => r.id !== 'e')
    expect(trashPage(after, query(`limit=2&cursor=${first.nextCursor}`)).rows.map((r) => r.id)).toEqual(['d', 'a'])
  })

  it('has no next cursor on the last page', () => {
    expect(trashPage(trash, query('limit=5')).nextCursor).toBeNull()
    expect(trashPage(trash, query('')).rows).toHaveLength(5)
  })
})

describe('parseTrashQuery', () => {
  it('names each bad parameter', () => {
    const parsed = parseTrashQuery(new URLSearchParams('limit=0&cursor=%%%&sort=name'))
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.errors.map((e) => e.field).sort()).toEqual(['cursor', 'limit', 'sort'])
  })
})
