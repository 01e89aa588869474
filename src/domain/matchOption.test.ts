import { describe, expect, test } from 'vitest'
import { matchOption, splitOptions } from './matchOption'

const options = ['Red', 'Green', 'Smith, Jones & Co', 'Smith', 'Ｗｉｄｅ']

describe('matchOption / splitOptions', () => {
  test('matches ignoring case, spacing and width', () => {
    expect(matchOption(options, ' GREEN ')).toBe('Green')
    expect(matchOption(options, 'wide')).toBe('Ｗｉｄｅ')
    expect(matchOption(options, 'Blue')).toBeUndefined()
  })

  test('the longest option wins when one option starts another', () => {
    expect(splitOptions(options, 'Smith, Jones & Co')).toEqual({ matched: ['Smith, Jones & Co'], unknown: [] })
    expect(splitOptions(options, 'Smith, Red')).toEqual({ matched: ['Smith', 'Red'], unknown: [] })
    expect(splitOptions(options, 'Smithers; Red')).toEqual({ matched: ['Red'], unknown: ['Smithers'] })
  })

  test('unknown parts are reported trimmed, in typed order', () => {
    expect(splitOptions(options, ' Pink ,Red;  Teal ')).toEqual({ matched: ['Red'], unknown: ['Pink', 'Teal'] })
  })
})
