import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, makeTempDir, removeTempDirs, ROOT, startTestRelay } from './relayTestKit'

/*
 * Every example of the README's API sections (REST API to the older endpoints) runs here, in the
 * README's order, against a real relay: the shell ones with /bin/sh exactly as written (only the
 * KANSO= and TOKEN= placeholders are left out, the variables being set to this relay and its
 * admin's token), each stopping at its first failing command — every curl is `-f`, so an HTTP
 * error fails it. An id one example keeps ($DEAL, $MEMBER…) is passed on to the next. The HTML
 * and JavaScript form examples and the Asterisk dialplan cannot run as written; their requests
 * are taken out of them and made. A README example that breaks fails this file.
 */

const run = promisify(execFile)
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const RUN_EXAMPLE = join(ROOT, 'tests/integration/runReadmeExample.sh')
/** The placeholder host of the form examples. */
const EXAMPLE_HOST = 'https://crm.example.com'
const FIRST_SECTION = '## REST API (v1)'
const END_SECTION = '## Sync protocol'
/** Shell blocks that are no HTTP example: the relay machine's CLI (tests/integration/cli.test.ts runs it). */
const NOT_HTTP = [/^npx kanso apikey /]
/** Blocks that show an answer, not a request. */
const ANSWERS = new Set(['json'])

interface Example {
  lang: string
  body: string
  /** Its line in README.md, to name it. */
  line: number
}

/** The fenced blocks between the REST API heading and the next part of the README, in order. */
function apiExamples(readme: string): Example[] {
  const start = readme.indexOf(`\n${FIRST_SECTION}\n`)
  const end = readme.indexOf(`\n${END_SECTION}\n`, start)
  if (start < 0 || end < 0) throw new Error(`README.md has no "${FIRST_SECTION}" … "${END_SECTION}" sections`)
  const offset = readme.slice(0, start).split('\n').length
  const lines = readme.slice(start, end).split('\n')
  const examples: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w+)\s*$/.exec(lines[i]!)
    if (!open) continue
    const indent = open[1]!.length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent))
    examples.push({ lang: open[2]!, body: body.join('\n'), line: offset + i })
    i = j
  }
  return examples
}

/** The shell text to run: the README's placeholders for the relay and the token left out. */
function runnable(body: string): string {
  return body.split('\n').filter((line) => !/^(KANSO|TOKEN)=/.test(line)).join('\n')
}

/** Names a block assigns (`DEAL=$(…)`), to pass on to the next blocks. */
function assignedNames(body: string): string[] {
  return [...new Set([...runnable(body).matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!))]
}

function readKept(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const parts = readFileSync(file, 'utf8').split('\0')
  const kept: Record<string, string> = {}
  for (let i = 0; i + 1 < parts.length; i += 2) kept[parts[i]!] = parts[i + 1]!
  return kept
}

const examples = apiExamples(README)
const shell = examples.filter((e) => e.lang === 'sh' && !NOT_HTTP.some((re) => re.test(e.body.trim())))

describe('the README API examples run against a real relay', () => {
  let relay: Awaited<ReturnType<typeof startTestRelay>>
  const env: Record<string, string> = {}
  const keptFile = join(makeTempDir('kanso-readme-'), 'kept')

  const api = async (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) => {
    const res = await fetch(`${relay.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } })
    const text = await res.text()
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${text}`)
    return text ? (JSON.parse(text) as Record<string, unknown>) : {}
  }
  const post = (path: string, body: unknown, token?: string) => api(path, { method: 'POST', body: JSON.stringify(body) }, token)
  const latestForm = async () => {
    const { data } = (await api('/api/v1/forms')) as { data: Array<{ id: string; created_at: string }> }
    return data.sort((a, b) => a.created_at.localeCompare(b.created_at)).at(-1)!.id
  }
  const atRelay = (text: string, formId: string) => text.replaceAll(EXAMPLE_HOST, relay.url).replaceAll('FORM_ID', formId)

  beforeAll(async () => {
    expect(existsSync('/usr/bin/curl'), 'the README examples need curl (.ci/run installs it)').toBe(true)
    relay = await startTestRelay({ apiRateLimit: null, formRateLimits: null })
    Object.assign(env, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', KANSO: relay.url, TOKEN: ADMIN_TOKEN })
    // what the examples talk about: the caller of the calls example, a contact for the snapshot,
    // and more than a page (100) of matching deals so the listing example has a next page
    await post('/api/v1/contacts', { first_name: 'Ada', last_name: 'Lovelace', phone: '+49 30 1234567' })
    for (let i = 0; i < 101; i++) await post('/api/v1/deals', { title: `Seeded ${i}`, stage: i % 2 ? 'Proposal' : 'Negotiation', amount: { amount: 1000 + i, currency: 'EUR' } })
  })

  afterAll(async () => {
    await relay?.close()
    removeTempDirs()
  })

  it('the README documents KANSO and TOKEN once, and every example curl fails on an HTTP error (-f)', () => {
    expect(shell.length).toBeGreaterThanOrEqual(7)
    const setup = shell.filter((e) => /^KANSO=/m.test(e.body))
    expect(setup.map((e) => e.body.match(/^KANSO=(\S+)/m)![1])).toEqual(['http://localhost:8787'])
    expect(setup[0]!.body).toMatch(/^TOKEN=\S+/m)
    for (const example of shell) {
      expect(example.body, `README line ${example.line}: an example must use $KANSO`).toContain('$KANSO')
      for (const curl of example.body.matchAll(/\bcurl\b[^\n]*/g)) expect(curl[0], `README line ${example.line}`).toMatch(/^curl -fsS\b/)
    }
    // every block is run by one of the tests below, or is listed as what it is
    const known = (e: Example) => shell.includes(e) || ANSWERS.has(e.lang) || e.lang === 'html' || e.lang === 'js' || e.lang === 'ini' || NOT_HTTP.some((re) => re.test(e.body.trim()))
    expect(examples.filter((e) => !known(e)).map((e) => `line ${e.line} (${e.lang})`)).toEqual([])
  })

  it.each(shell.map((e) => [e.line, e] as const))('the sh example at README line %i exits 0', async (_line, example) => {
    const file = join(makeTempDir('kanso-readme-'), 'example.sh')
    writeFileSync(file, `${runnable(example.body)}\n`)
    const { stdout, stderr } = await run('/bin/sh', [RUN_EXAMPLE, file, keptFile, ...assignedNames(example.body)], { env: { ...env, ...readKept(keptFile) }, timeout: 20_000 })
    // curl -sS and node say what went wrong there, even where a pipe hides the exit status
    expect(stderr, `README line ${example.line} complained`).toBe('')
    if (example.body.includes('/api/v1/openapi.json')) {
      for (const path of ['/forms', '/webhooks', '/webhooks/{id}', '/webhook-deliveries', '/calls', '/events', '/f/{formId}']) expect(stdout).toContain(JSON.stringify(path))
    }
    for (const name of assignedNames(example.body)) expect(readKept(keptFile)[name], `$${name} kept by README line ${example.line}`).toMatch(/^[^\s]+$/)
  })

  it('the plain HTML form and the embed script of the forms section work as pasted', async () => {
    const formId = await latestForm()
    const html = examples.filter((e) => e.lang === 'html')
    const plain = atRelay(html.find((e) => e.body.includes('<form'))!.body, formId)
    const action = /<form[^>]*\saction="([^"]+)"/.exec(plain)![1]!
    const names = [...plain.matchAll(/<input[^>]*\sname="([^"]+)"/g)].map((m) => m[1]!)
    expect(names).toEqual(['name', 'email'])
    const values: Record<string, string> = { name: 'Ann Lee (plain form)', email: 'ann.plain@example.com' }
    const sent = await fetch(action, { method: 'POST', body: new URLSearchParams(names.map((n) => [n, values[n]!])), redirect: 'manual' })
    expect(sent.status).toBe(200)
    const { data } = (await api(`/api/v1/leads?email=${encodeURIComponent(values.email!)}`)) as { data: unknown[] }
    expect(data).toHaveLength(1)

    const embed = atRelay(html.find((e) => e.body.includes('<script'))!.body, formId)
    const script = await fetch(/\ssrc="([^"]+)"/.exec(embed)![1]!)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    const described = await fetch(`${relay.url}/f/${/\sdata-form="([^"]+)"/.exec(embed)![1]!}`, { headers: { accept: 'application/json' } })
    expect(described.status).toBe(200)
    expect(((await described.json()) as { id: string }).id).toBe(formId)
  })

  it('the JavaScript form post runs in Node as written and is answered 201', async () => {
    const [js] = examples.filter((e) => e.lang === 'js')
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', atRelay(js!.body, await latestForm())], { timeout: 20_000 })
    expect(stdout.trim()).toMatch(/^201 \{ ok: true \}$/)
  })

  it('the Asterisk dialplan’s curl commands work with the values Asterisk puts in', async () => {
    const [dialplan] = examples.filter((e) => e.lang === 'ini')
    expect(dialplan!.body).toMatch(/^KANSO=http:\/\/localhost:8787$/m)
    expect(dialplan!.body).toMatch(/^KANSO_TOKEN=\S+$/m)
    const { key } = (await post('/api/v1/api-keys', { name: 'Asterisk', role: 'editor' })) as { key: string }
    const { member } = (await post('/api/members', { name: 'Extension 301', role: 'editor', extension: '301' })) as { member: { id: string } }
    const asterisk: Record<string, string> = { KANSO: relay.url, KANSO_TOKEN: key, 'CALLERID(num)': '+49 30 1234567', EXTEN: '301', CALLED: '301', 'CDR(billsec)': '42' }
    const commands = [...dialplan!.body.matchAll(/System\((.*)\)$/gm)].map((m) => m[1]!.replace(/\$\{([^}]+)\}/g, (whole, name: string) => asterisk[name] ?? whole))
    expect(commands).toHaveLength(2)
    const activities = async () => ((await api('/api/v1/activities?limit=1000')) as { data: Array<Record<string, unknown>> }).data
    const before = await activities()
    for (const command of commands) {
      expect(command, 'a dialplan variable the test does not know').not.toContain('${')
      await run('/bin/sh', ['-c', command], { env, timeout: 20_000 })
    }
    const logged = (await activities()).filter((a) => !before.some((b) => b.id === a.id))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ type: 'call', direction: 'inbound', duration_s: 42, owner: member.id })
  })
})
