import { expect, test } from 'vitest'
import { countLabel } from './countLabel'

const companies = { label: 'Companies', singular: 'Company' }

test('one record is counted in the singular, any other number in the plural', () => {
  expect(countLabel(1, companies, 'en-US')).toBe('1 company')
  expect(countLabel(0, companies, 'en-US')).toBe('0 companies')
  expect(countLabel(2, companies, 'en-US')).toBe('2 companies')
  expect(countLabel(1234, companies, 'en-US')).toBe('1,234 companies')
  expect(countLabel(1234, companies, 'de-DE')).toBe('1.234 companies')
  expect(countLabel(1, { label: 'Activities', singular: 'Activity' }, 'not a locale')).toBe('1 activity')
})
