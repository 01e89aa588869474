import { describe, expect, it } from 'vitest'
import { decodeHtmlTable, encodeHtmlTable } from './htmlTable'

describe('encodeHtmlTable', () => {
  it('writes one table, escaping text and keeping a line break inside its cell', () => {
    expect(encodeHtmlTable([['a<b', 'Tom & "Jerry"'], ['one\ntwo', '']])).toBe(
      '<meta charset="utf-8"><table><tr><td>a&lt;b</td><td>Tom &amp; &quot;Jerry&quot;</td></tr>' +
      '<tr><td>one<br style="mso-data-placement:same-cell;">two</td><td></td></tr></table>',
    )
  })
})

describe('decodeHtmlTable', () => {
  it('round-trips what encodeHtmlTable writes', () => {
    const block = [['a<b', 'Tom & "Jerry"'], ['one\ntwo', ''], ['  spaced  ', '€ 5']]
    const back = decodeHtmlTable(encodeHtmlTable(block))
    expect(back).toEqual([['a<b', 'Tom & "Jerry"'], ['one\ntwo', ''], ['spaced', '€ 5']])
  })

  it('reads a table as Excel writes it: styles, classes, unclosed cells, whitespace between tags', () => {
    const excel = `<html><head><style>td { mso-number-format: General }</style></head><body>
<!--StartFragment--><table border=0 cellpadding=0 cellspacing=0 width=128>
 <col width=64 span=2>
 <tr height=20 style='height:15.0pt'>
  <td height=20 class=xl65 width=64>Ada</td>
  <td class=xl65 width=64>ada@example.com</td>
 </tr>
 <tr height=40>
  <td class=xl66>Two<br style='mso-data-placement:same-cell'>
  lines</td>
  <td>&nbsp;5&#160;&#x20AC;</td>
 </tr>
<!--EndFragment--></table></body></html>`
    expect(decodeHtmlTable(excel)).toEqual([['Ada', 'ada@example.com'], ['Two\nlines', '5 €']])
  })

  it('reads Google Sheets cells wrapped in spans, th headers and colspan', () => {
    const sheets = '<google-sheets-html-origin><table><tbody><tr><th>Name</th><th colspan="2">Contact</th><th>City</th></tr>' +
      '<tr><td><span>Grace</span></td><td>g@example.com</td><td>555</td><td><div>New</div><div>York</div></td></tr></tbody></table>'
    expect(decodeHtmlTable(sheets)).toEqual([['Name', 'Contact', '', 'City'], ['Grace', 'g@example.com', '555', 'New\nYork']])
  })

  it('answers null for html without a table', () => {
    expect(decodeHtmlTable('<p>just text</p>')).toBeNull()
  })
})
