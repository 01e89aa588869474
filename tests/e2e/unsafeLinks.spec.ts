import { expect, test } from '@playwright/test'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { makeEntityStore } from '../../src/crdt/entityStore'
import { cell } from './gridHelpers'
import { startRelayProcess, type RelayProcess } from './relayProcess'

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

/** A teammate's stock y-websocket client in this process, synced with the relay. */
async function teammate(token: string, docName: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(relay.url.replace(/^http/, 'ws') + '/sync', docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true, params: { token },
  })
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  return { doc, provider }
}

const WEBSITE = 'companies.website'

test('stored javascript: and data: links render as text, and a teammate’s claimed name and colour never reach the page', async ({ browser }) => {
  const mallory = await relay.addMember('Mallory', 'editor')
  const erin = await relay.addMember('Erin', 'editor')
  // Written straight into the document, past the input checks a browser would apply.
  const companies = await teammate(mallory, 'entity-companies')
  const store = makeEntityStore(companies.doc, 'companies', 'mallory')
  const unsafe = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.invalid/x']
  const unsafeIds = unsafe.map((website, i) => store.createRecord({ 'companies.name': `Unsafe ${i}`, [WEBSITE]: website }))
  const safeId = store.createRecord({ 'companies.name': 'Safe', [WEBSITE]: 'https://example.com/about', 'companies.email': 'ann@example.com' })
  const presence = await teammate(mallory, 'schema')
  presence.provider.awareness.setLocalState({ user: { id: 'someone', name: 'Admin', color: 'url(http://evil.invalid/x.png)' }, view: 'companies' })

  const context = await browser.newContext()
  const page = await context.newPage()
  const evilRequests: string[] = []
  page.on('request', (request) => { if (request.url().includes('evil.invalid')) evilRequests.push(request.url()) })
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
  await page.goto(`${relay.url}/companies#token=${erin}`)
  await expect(cell(page, safeId, WEBSITE).locator('a')).toHaveAttribute('href', 'https://example.com/about')
  await expect(cell(page, safeId, 'companies.email').locator('a')).toHaveAttribute('href', 'mailto:ann@example.com')
  for (const id of unsafeIds) {
    await expect(cell(page, id, WEBSITE)).not.toHaveText('')
    await expect(cell(page, id, WEBSITE).locator('a')).toHaveCount(0)
  }

  const chip = page.getByTestId('presence').locator('.kanso-presence-chip')
  await expect(chip).toHaveText('Mallory')
  expect(await chip.getAttribute('style')).not.toContain('url(')
  expect(evilRequests).toEqual([])

  presence.provider.destroy()
  companies.provider.destroy()
  await context.close()
})
