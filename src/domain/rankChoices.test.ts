import { describe, expect, it } from 'vitest'
import { rankChoices } from './rankChoices'

const stages = ['Qualification', 'Proposal', 'Negotiation', 'Closed won', 'Closed lost', 'On hold']
const rank = (q: string) => rankChoices(stages, q, (s) => s)

describe('rankChoices', () => {
  it('keeps every choice in its own order for an empty filter', () => {
    expect(rank('')).toEqual(stages)
    expect(rank('   ')).toEqual(stages)
  })

  it('ranks the whole name, then a start, then a word start, then the text anywhere', () => {
    expect(rankChoices(['Wonder', 'Closed won', 'Won', 'Unwon'], 'won', (s) => s)).toEqual(['Won', 'Wonder', 'Closed won', 'Unwon'])
  })

  it('ignores case, width and spacing', () => {
    expect(rank('CLOSED  WON')).toEqual(['Closed won'])
    expect(rank('ｐｒｏ')).toEqual(['Proposal'])
  })

  it('keeps the list order within a rank', () => {
    expect(rank('closed')).toEqual(['Closed won', 'Closed lost'])
    expect(rank('o')).toEqual(['On hold', 'Qualification', 'Proposal', 'Negotiation', 'Closed won', 'Closed lost'])
  })

  it('drops what does not contain the text', () => {
    expect(rank('xyz')).toEqual([])
  })
})
