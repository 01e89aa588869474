import { describe, expect, it } from 'vitest'
import type { EntityDef, Row } from '../schema'
import { allListRows, DEFAULT_LIMIT, encodeCursor, MAX_LIMIT, parseListQuery, runListQuery, type ListQuery } from './apiListQuery'
import type { ApiReadContext } from './apiRecordCodec'
import { everyTypeEntity, MEMBERS, row } from './apiRecordCodec.testkit'

const entity = everyTypeEntity()
const ctx: ApiReadContext = { members: MEMBERS }
const times = { updatedAt: (r: Row) => (r.id === 'b' ? '2026-06-01T00:00:00.000Z' : r.createdAt) }

const rows: Row[] = [
  row('a', { title: 'Alpha', score: 10, amount: { amount: 150000, currency: 'EUR' }, close_date: '2026-03-01', due: '2026-03-01T09:00:00.000Z', stage: 'New', tags: ['Hot', 'VIP'], active: true, contacts: ['c1', 'c2'], owner: 'm_ann', email: 'alpha@example.com' }, '2026-01-01T00:00:00.000Z'),
  row('b', { title: 'beta', score: 30, amount: { amount: 2000, currency: 'JPY' }, close_date: '2026-05-01', stage: 'Won', tags: ['Cold'], active: false, contacts: ['c2'], owner: 'm_bob', notes: 'Met at the fair in Berlin' }, '2026-01-02T00:00:00.000Z'),
  row('c', { title: 'Gamma', score: 20, amount: { amount: 99, currency: 'EUR' }, close_date: '2026-04-01', stage: 'Won', active: true, owner: 'm_ann' }, '2026-01-03T00:00:00.000Z'),
  row('d', { title: 'Delta' }, '2026-01-04T00:00:00.000Z'),
  row('e', { title: 'Epsilon', score: 20, stage: 'Lost', tags: [] }, '2026-01-05T00:00:00.000Z'),
]

function query(qs: string): ListQuery {
  const parsed = parseListQuery(entity, new URLSearchParams(qs), ctx)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.query
}
const ids = (qs: string, from: Row[] = rows) => runListQuery(from, query(qs), times).rows.map((r) => r.id)
const problems = (qs: string) => {
  const parsed = parseListQuery(entity, new URLSearchParams(qs), ctx)
  if (parsed.ok) throw new Error(`${qs} was accepted`)
  return parsed.errors
}

describe('filters', () => {
  it('equality, case-insensitive for text and options, read like a typed cell', () => {
    expect(ids('title=gamma')).toEqual(['c'])
    expect(ids('stage=won')).toEqual(['b', 'c'])
    expect(ids('score=20')).toEqual(['c', 'e'])
    expect(ids('active=true')).toEqual(['a', 'c'])
    // d and e never had their checkbox written: unticked, as the grid shows them (issue 16: ?done=false)
    expect(ids('active=false')).toEqual(['b', 'd', 'e'])
    expect(ids('owner=Ann Lee')).toEqual(['a', 'c'])
    expect(ids('owner=m_bob')).toEqual(['b'])
    expect(ids('close_date=01.05.2026')).toEqual(['b'])
    expect(ids('amount=1 500,00 €')).toEqual(['a'])
    expect(ids('amount=2000 JPY')).toEqual(['b'])
    expect(ids('id=d')).toEqual(['d'])
  })

  it('several values of one key are "any of"; different keys all apply', () => {
    expect(ids('stage=New&stage=Lost')).toEqual(['a', 'e'])
    expect(ids('stage=Won&owner=m_ann')).toEqual(['c'])
  })

  it('a list field contains the value (multi-select, multiple link)', () => {
    expect(ids('tags=vip')).toEqual(['a'])
    expect(ids('tags=Hot&tags=Cold')).toEqual(['a', 'b'])
    expect(ids('contacts=c2')).toEqual(['a', 'b'])
  })

  it('an empty value matches empty cells, an empty list included', () => {
    expect(ids('score=')).toEqual(['d'])
    expect(ids('tags=')).toEqual(['c', 'd', 'e'])
    expect(ids('contacts=')).toEqual(['c', 'd', 'e'])
  })

  it('ranges per type: number, money in major units, date, date-time, created_at, updated_at', () => {
    expect(ids('score[gte]=20')).toEqual(['b', 'c', 'e'])
    expect(ids('score[gt]=10&score[lt]=30')).toEqual(['c', 'e'])
    expect(ids('amount[gte]=1000')).toEqual(['a', 'b'])
    expect(ids('amount[lt]=1')).toEqual(['c'])
    expect(ids('close_date[gte]=2026-04-01&close_date[lte]=2026-05-01')).toEqual(['b', 'c'])
    expect(ids('close_date[lt]=01.04.2026')).toEqual(['a'])
    expect(ids('due[gte]=2026-03-01T08:00:00Z')).toEqual(['a'])
    expect(ids('due[gt]=2026-03-01T10:00:00%2B01:00')).toEqual([])
    expect(ids('created_at[gte]=2026-01-04')).toEqual(['d', 'e'])
    expect(ids('updated_at[gt]=2026-02-01T00:00:00Z')).toEqual(['b'])
    // an empty cell is outside every range
    expect(ids('score[lt]=1000')).toEqual(['a', 'b', 'c', 'e'])
  })

  it('refuses ranges on fields that have no order, unknown operators and keys, values that do not read, each by parameter', () => {
    expect(problems('title[gt]=a')).toEqual([{ field: 'title[gt]', message: expect.stringMatching(/title is a text field: ranges work on numbers/) }])
    expect(problems('id[gt]=a')[0]!.message).toMatch(/an id field/)
    expect(problems('score[between]=1')[0]).toEqual({ field: 'score[between]', message: expect.stringMatching(/unknown operator "between"/) })
    expect(problems('colour=red')[0]).toEqual({ field: 'colour', message: expect.stringMatching(/Things has no field "colour"/) })
    expect(problems('old_field=x')[0]!.field).toBe('old_field')
    expect(problems('score=lots')[0]).toEqual({ field: 'score', message: expect.stringMatching(/lots/) })
    expect(problems('score[gte]=')[0]!.message).toMatch(/a range needs a value/)
    expect(problems('created_at=yesterday')[0]!.message).toMatch(/not an ISO 8601 date-time/)
    expect(problems('stage=Maybe&score[gt]=x&colour=1').map((p) => p.field)).toEqual(['stage', 'score[gt]', 'colour'])
  })
})

describe('q', () => {
  it('every word in some value, case-insensitive, with filters', () => {
    expect(ids('q=berlin')).toEqual(['b'])
    expect(ids('q=FAIR berlin')).toEqual(['b'])
    expect(ids('q=fair paris')).toEqual([])
    expect(ids('q=vip')).toEqual(['a'])
    expect(ids('q=a&stage=Won')).toEqual(['b', 'c'])
    expect(ids('q=1500 eur')).toEqual(['a'])
  })

  it('searches the live fields only: a removed field\'s value or an entry beside the values (a stage change) neither matches nor breaks it', () => {
    const odd = row('z', { title: 'Zed', old_field: 'needle' })
    odd.values = { ...odd.values, 'stage@won': { from: 'New', to: 'Won', at: '2026-01-01', by: 'm_ann' } } as unknown as Row['values']
    expect(ids('q=needle', [...rows, odd])).toEqual([])
    expect(ids('q=zed', [...rows, odd])).toEqual(['z'])
    expect(ids('q=won', [...rows, odd])).toEqual(['b', 'c'])
  })

  it('does not match the ids a link or member cell holds (an export\'s q=b found a deal by its company\'s random id)', () => {
    expect(ids('q=c1')).toEqual([])
    expect(ids('q=m_bob')).toEqual([])
    expect(ids('q=alpha')).toEqual(['a'])
  })
})

describe('sort', () => {
  it('by created_at by default; by keys with - for descending; ties by id', () => {
    expect(ids('')).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(ids('sort=-created_at')).toEqual(['e', 'd', 'c', 'b', 'a'])
    expect(ids('sort=title')).toEqual(['a', 'b', 'd', 'e', 'c'])
    expect(ids('sort=score')).toEqual(['a', 'c', 'e', 'b', 'd'])
    expect(ids('sort=-score')).toEqual(['b', 'c', 'e', 'a', 'd'])
    expect(ids('sort=%2Bscore,title')).toEqual(['a', 'e', 'c', 'b', 'd'])
    expect(ids('sort=score,-title')).toEqual(['a', 'c', 'e', 'b', 'd'])
  })

  it('puts empty values last in both directions', () => {
    expect(ids('sort=close_date')).toEqual(['a', 'c', 'b', 'd', 'e'])
    expect(ids('sort=-close_date')).toEqual(['b', 'c', 'a', 'd', 'e'])
    expect(ids('sort=-owner')).toEqual(['b', 'a', 'c', 'd', 'e'])
  })

  it('compares money in major units across currencies, checkboxes as 0/1', () => {
    // 0.99 EUR, 1500 EUR, 2000 JPY (in minor units 2000 JPY would come before 150000 EUR cents)
    expect(ids('sort=amount')).toEqual(['c', 'a', 'b', 'd', 'e'])
    expect(ids('sort=-active,title')).toEqual(['a', 'c', 'b', 'd', 'e'])
  })

  it('names a sort key the entity does not have', () => {
    expect(problems('sort=title,-colour')).toEqual([{ field: 'sort', message: expect.stringMatching(/cannot sort by "colour"/) }])
  })
})

describe('limit and cursor', () => {
  const many = Array.from({ length: 1200 }, (_, i) => row(`r${String(i).padStart(4, '0')}`, { title: `T${i % 7}`, score: i % 5 }, `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`))

  it('defaults to 50, accepts 1 to 1000, refuses anything else', () => {
    expect(query('').limit).toBe(DEFAULT_LIMIT)
    expect(ids('', many)).toHaveLength(50)
    expect(ids('limit=1', many)).toHaveLength(1)
    expect(ids(`limit=${MAX_LIMIT}`, many)).toHaveLength(1000)
    for (const bad of ['0', '1001', '-1', '2.5', 'ten', '']) expect(problems(`limit=${bad}`)).toEqual([{ field: 'limit', message: expect.stringMatching(/limit must be a whole number from 1 to 1000/) }])
  })

  const collect = (qs: string, limit: number) => {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = runListQuery(many, query(`limit=${limit}&${qs}${cursor ? `&cursor=${cursor}` : ''}`), times)
      seen.push(...page.rows.map((r) => r.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    return { seen, pages }
  }

  it('pages through every row once, in order, with duplicates in the sort key broken by id', () => {
    for (const sort of ['', 'score', '-score,title', 'title,-created_at']) {
      const small = collect(`sort=${sort}`, 70)
      expect(small.pages).toBe(Math.ceil(many.length / 70))
      expect(new Set(small.seen).size).toBe(many.length)
      expect(small.seen).toEqual(collect(`sort=${sort}`, 1000).seen)
    }
    const byCreated = [...many].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? -1 : 1) : x.createdAt < y.createdAt ? -1 : 1)).map((r) => r.id)
    expect(collect('', 70).seen).toEqual(byCreated)
  })

  it('a cursor is keyset: a row inserted before it shifts nothing, one after it shows up', () => {
    const first = runListQuery(rows, query('limit=2&sort=title'), times)
    expect(first.rows.map((r) => r.id)).toEqual(['a', 'b'])
    const more = [...rows, row('aa', { title: 'Aardvark' }), row('zz', { title: 'Zeta' })]
    expect(ids(`limit=10&sort=title&cursor=${first.nextCursor}`, more)).toEqual(['d', 'e', 'c', 'zz'])
  })

  it('answers the last page with next_cursor null', () => {
    expect(runListQuery(rows, query('limit=5'), times).nextCursor).toBeNull()
    expect(runListQuery(rows, query('limit=4'), times).nextCursor).not.toBeNull()
  })

  it('refuses a cursor made for another sort order', () => {
    const cursor = runListQuery(rows, query('limit=2&sort=title'), times).nextCursor!
    expect(problems(`sort=-title&cursor=${cursor}`)).toEqual([{ field: 'cursor', message: expect.stringMatching(/another sort order/) }])
    expect(problems(`cursor=${cursor}`)[0]!.field).toBe('cursor')
    // the sort text matches but the number of keys does not (a hand-made cursor)
    expect(problems(`sort=title&cursor=${encodeCursor({ sort: 'title', keys: ['a', 1], id: 'a' })}`)[0]!.message).toMatch(/another sort order/)
  })

  it('refuses a tampered or made-up cursor with a 400-style problem, never a throw', () => {
    const good = runListQuery(rows, query('limit=2&sort=title'), times).nextCursor!
    const tampered = [
      `${good.slice(0, -3)}%%%`,
      good.slice(0, good.length >> 1),
      'not-a-cursor',
      btoa('{"sort":"title"}'),
      btoa(JSON.stringify(['title', [{}], 'a'])),
      btoa(JSON.stringify(['title', ['a'], 7])),
      btoa(JSON.stringify(['title', 'a', 'a'])),
      btoa('\xff\xfe'),
      'A'.repeat(5000),
    ]
    for (const cursor of tampered) {
      expect(problems(`sort=title&cursor=${encodeURIComponent(cursor)}`), cursor).toEqual([{ field: 'cursor', message: 'not a cursor this API made (pass next_cursor as it came)' }])
    }
  })

  it('keeps a cursor short enough for a URL when the sort key is a long text, and still pages in order', () => {
    // a long text holds up to 100k characters; two share their first 10k
    const long = (c: string, tail: string) => `${c.repeat(100_000 - tail.length)}${tail}`
    const texts = [row('l1', { notes: long('x', 'b') }), row('l2', { notes: long('x', 'a') }), row('l3', { notes: long('w', '') }), row('l4', { notes: 'short' })]
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = runListQuery(texts, query(`limit=1&sort=notes${cursor ? `&cursor=${cursor}` : ''}`), times)
      seen.push(...page.rows.map((r) => r.id))
      cursor = page.nextCursor
      if (cursor) expect(cursor.length).toBeLessThan(2000)
    } while (cursor)
    expect(new Set(seen).size).toBe(4)
    expect(seen.slice(0, 2)).toEqual(['l4', 'l3'])
  })

  it('round-trips a cursor with text, numbers, null and non-ASCII keys', () => {
    const cursor = encodeCursor({ sort: '-score,title', keys: [null, 'zoë ✓'], id: 'r1' })
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    const parsed = query(`sort=-score,title&cursor=${cursor}`)
    expect(parsed.after).toEqual({ keys: [null, 'zoë ✓'], id: 'r1' })
  })
})

describe('allListRows', () => {
  it('lists every matching row in the order the pages give, yielding between pieces', async () => {
    const entity: EntityDef = { id: 'n', key: 'n', label: 'N', singular: 'N', primaryField: 'n.v', order: 0, fields: [{ id: 'n.v', key: 'v', label: 'V', type: 'number', order: 0 }] }
    const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => ({ id: `r${String(i).padStart(5, '0')}`, values: { 'n.v': (i * 7919) % 1000 }, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'm' }))
    const parsed = parseListQuery(entity, new URLSearchParams('sort=-v&v[gte]=10'), { locale: 'en-US', members: [] })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const times = { updatedAt: (row: Row) => row.createdAt }
    let turns = 0
    const all = await allListRows(rows, parsed.query, times, async () => { turns++ })
    const expected = rows.filter((r) => (r.values['n.v'] as number) >= 10)
      .sort((a, b) => (b.values['n.v'] as number) - (a.values['n.v'] as number) || (a.id < b.id ? -1 : 1))
    expect(all.map((r) => r.id)).toEqual(expected.map((r) => r.id))
    expect(turns).toBeGreaterThan(5)
  })
})
