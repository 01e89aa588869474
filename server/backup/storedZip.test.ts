import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { StoredZip } from './storedZip'

const dir = mkdtempSync(join(tmpdir(), 'kanso-zip-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Python's zipfile, an independent reader: each file's name and text, after its CRC check (testzip). */
function readWithPython(file: string): Record<string, string> {
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))'
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>
}

describe('StoredZip', () => {
  it('writes an archive other tools read back byte for byte, names in UTF-8', async () => {
    const chunks: Buffer[] = []
    const zip = new StoredZip((chunk) => { chunks.push(chunk) }, new Date('2026-12-06T10:20:30Z'))
    await zip.add('contacts.csv', Buffer.from('\uFEFFid,Name\r\nr1,Zoë\r\n'))
    await zip.add('schema.json', Buffer.from('{"entities":[]}'))
    await zip.add('empty.csv', Buffer.alloc(0))
    await zip.add('сделки.csv', Buffer.from('x'))
    await zip.finish()
    const file = join(dir, 'a.zip')
    writeFileSync(file, Buffer.concat(chunks))
    expect(readWithPython(file)).toEqual({ 'contacts.csv': '\uFEFFid,Name\r\nr1,Zoë\r\n', 'schema.json': '{"entities":[]}', 'empty.csv': '', 'сделки.csv': 'x' })
  })
})
