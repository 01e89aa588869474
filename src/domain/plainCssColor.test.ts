import { expect, test } from 'vitest'
import { memberColor } from './memberColor'
import { isPlainCssColor } from './plainCssColor'

test.each(['#e6194b', '#ABCDEF', 'hsl(210, 40%, 50%)', 'hsl(210 40% 50%)', 'hsl(12.5deg,100%,0%)', 'HSL( 0 , 0% , 100% )'])('%s is a plain colour', (value) => {
  expect(isPlainCssColor(value)).toBe(true)
})

test.each([
  'url(http://evil/)', '#fff', '#e6194b;background:url(http://evil/)', ' #e6194b', '#e6194b ', 'red', 'rgb(1,2,3)',
  'hsl(var(--x), 1%, 1%)', 'hsl(1, 2%, 3%) url(x)', 'hsl(1,2,3)', 'expression(alert(1))', '', '#e6194b\n',
])('%j is refused', (value) => {
  expect(isPlainCssColor(value)).toBe(false)
})

test('non-strings are refused; every member colour passes', () => {
  for (const value of [null, undefined, 0xe6194b, { toString: () => '#e6194b' }, ['#e6194b']]) expect(isPlainCssColor(value)).toBe(false)
  for (const id of ['a', 'member-1', 'Zq3x', '']) expect(isPlainCssColor(memberColor(id))).toBe(true)
})
