import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { apiExamples, type ApiExample } from '../../src/domain/api/apiExamples'
import { readStoredSchema } from '../../server/http/readStoredSchema'
import { ADMIN_TOKEN, makeTempDir, startTestRelay, useTestScope } from './relayTestKit'

const run = promisify(execFile)
const scope = useTestScope()
const HAVE_CURL = existsSync('/usr/bin/curl')

/** The curl command exactly as the page shows it, run by a shell. */
async function runCurl(example: ApiExample): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', example.curl], { timeout: 10_000 })
  return stdout
}

/** The JavaScript exactly as the page shows it, run as an ES module by this Node. */
async function runJs(example: ApiExample): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', example.js], { timeout: 10_000 })
  return stdout
}

describe('the Settings → API examples run against a real relay', () => {
  it.each(['deals', 'contacts', 'leads'])('%s: list with a filter, create, update, delete — curl and JavaScript', async (entityKey) => {
    const relay = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
    scope.cleanups.push(() => relay.close())
    const made = await fetch(`${relay.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Examples', role: 'editor' }),
    })
    const { key } = (await made.json()) as { key: string }
    const schema = readStoredSchema(relay.storage)
    const examples = (recordId?: string) => {
      const list = apiExamples(schema, { baseUrl: relay.url, apiKey: key, entityKey, recordId })
      return Object.fromEntries(list.map((e) => [e.id, e])) as Record<ApiExample['id'], ApiExample>
    }
    const runners: Array<[string, (e: ApiExample) => Promise<string>]> = [['js', runJs]]
    if (HAVE_CURL) runners.unshift(['curl', runCurl])
    else console.warn('apiExamples.test: /usr/bin/curl is missing, only the JavaScript examples run')

    for (const [how, runExample] of runners) {
      const created = JSON.parse(await runExample(examples().create)) as Record<string, unknown>
      expect(created, how).toMatchObject({ ...examples().create.request.body, id: expect.any(String) })
      const id = created.id as string

      const listed = await runExample(examples().list)
      expect((JSON.parse(listed) as { data: Array<{ id: string }> }).data.map((r) => r.id), how).toContain(id)

      const updated = JSON.parse(await runExample(examples(id).update)) as Record<string, unknown>
      expect(updated, how).toMatchObject({ ...examples(id).update.request.body, id })

      const deleted = await runExample(examples(id).delete)
      expect(deleted.trim(), how).toBe(how === 'js' ? '204' : '')
      const gone = await fetch(`${relay.url}/api/v1/${entityKey}/${id}`, { headers: { authorization: `Bearer ${key}` } })
      expect(gone.status, how).toBe(404)
    }
  })

  it('a failing example fails loudly (so the test above cannot pass by accident)', async () => {
    const relay = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
    scope.cleanups.push(() => relay.close())
    const [list] = apiExamples(readStoredSchema(relay.storage), { baseUrl: relay.url, apiKey: 'kanso_not-a-key' })
    await expect(runJs(list!)).rejects.toThrow(/401/)
    if (HAVE_CURL) await expect(runCurl(list!)).rejects.toThrow(/returned error: 401/)
  })
})
