import { strToU8, zipSync } from 'fflate'

/** A cell of a test workbook: a shared string, an inline string, a number (with a style index) or a boolean. */
export type XlsxCell = { s: string } | { inline: string } | { n: number; style?: number } | { b: boolean } | null

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const column = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : column(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))

/**
 * A minimal SpreadsheetML workbook as Excel writes it (shared strings, a styles part whose
 * cellXfs 1 is the built-in date format 14 and 2 a custom `dd.mm.yyyy hh:mm`), for the reader's
 * tests and the import's integration test. `rows` is keyed by row number, so gaps are empty rows.
 */
export function xlsxFixture(rows: Record<number, XlsxCell[]>): Uint8Array {
  const shared: string[] = []
  const sheetRows = Object.entries(rows).map(([r, cells]) => {
    const xml = cells.map((cell, i) => {
      const ref = `${column(i)}${r}`
      if (cell === null) return ''
      if ('s' in cell) { shared.push(cell.s); return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>` }
      if ('inline' in cell) return `<c r="${ref}" t="inlineStr"><is><t>${escape(cell.inline)}</t></is></c>`
      if ('b' in cell) return `<c r="${ref}" t="b"><v>${cell.b ? 1 : 0}</v></c>`
      return `<c r="${ref}"${cell.style ? ` s="${cell.style}"` : ''}><v>${cell.n}</v></c>`
    }).join('')
    return `<row r="${r}">${xml}</row>`
  }).join('')
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
    'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><workbook ${ns}><sheets><sheet name="Contacts" sheetId="1" r:id="rId7"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/contacts.xml"/></Relationships>'),
    'xl/styles.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><styleSheet ${ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy\\ hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`),
    'xl/sharedStrings.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst ${ns} count="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${escape(s)}</t></si>`).join('')}</sst>`),
    'xl/worksheets/contacts.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${ns}><sheetData>${sheetRows}</sheetData></worksheet>`),
  })
}
