import { describe, expect, it } from 'vitest'
import { bootEntity, bootToken } from './bootLocation'

describe('bootEntity', () => {
  it('is the first segment of the path; the activities for My work, at / and /my-work', () => {
    expect(bootEntity('/deals')).toBe('deals')
    expect(bootEntity('//companies/abc')).toBe('companies')
    expect(bootEntity('/')).toBe('activities')
    expect(bootEntity('/my-work')).toBe('activities')
  })
})

describe('bootToken', () => {
  it("is an invite link's token before the one kept on this device", () => {
    expect(bootToken('#token=a%2Bb', 'kept')).toBe('a+b')
    expect(bootToken('#x=1&token=t1', 'kept')).toBe('t1')
    expect(bootToken('', 'kept')).toBe('kept')
    expect(bootToken('#notoken=1', null)).toBeNull()
  })

  it('falls back to the kept token when the link is malformed', () => {
    expect(bootToken('#token=%E0%A4%A', 'kept')).toBe('kept')
  })
})
