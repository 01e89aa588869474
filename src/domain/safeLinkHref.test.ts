import { expect, test } from 'vitest'
import { safeLinkHref } from './safeLinkHref'

test.each([
  ['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
  ['http://example.com', 'http://example.com/'],
  ['HTTPS://Example.com/x', 'https://example.com/x'],
  ['mailto:ann@example.com', 'mailto:ann@example.com'],
  ['tel:+15550100', 'tel:+15550100'],
  ['sip:ann@example.com', 'sip:ann@example.com'],
  ['sips:ann@example.com', 'sips:ann@example.com'],
  ['callto:+49301234567', 'callto:+49301234567'],
])('%j links to %j', (value, href) => {
  expect(safeLinkHref(value)).toBe(href)
})

test.each([
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  '\u0000javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'javascript\t:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'blob:https://example.com/uuid',
  'ftp://example.com',
  '&#106;avascript:alert(1)',
  'javascript&#58;alert(1)',
  'javascript&colon;alert(1)',
  '%6Aavascript:alert(1)',
  '//evil.example/x',
  '/relative/path',
  'example.com',
  '',
  '   ',
])('%j is shown as text', (value) => {
  expect(safeLinkHref(value)).toBeNull()
})

test('the href is the parsed URL, so what the browser follows is what was checked', () => {
  expect(safeLinkHref(' https://example.com/\t')).toBe('https://example.com/')
  expect(safeLinkHref('ht\ttps://example.com')).toBe('https://example.com/')
})
