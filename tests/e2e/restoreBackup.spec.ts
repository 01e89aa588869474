import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { cell, typeInto } from './gridHelpers'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

const LAST = '.kanso-grid .ag-cell[col-id="contacts.last_name"] .kanso-cell-value'

async function lastNames(page: Page): Promise<string[]> {
  return (await page.locator(LAST).allInnerTexts()).sort()
}

test('a browser offline during a restore reloads the restored workspace: nothing resurrected, duplicated or pushed back; its unsent edit of a restored record is kept', async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'kanso-e2e-backup-'))
  let relay: RelayProcess = await startRelayProcess()
  try {
    const before = await postRecord(relay, 'contacts', { last_name: 'Before' })
    const context = await browser.newContext()
    const page = await context.newPage()
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
    await page.goto(`${relay.url}/contacts#token=${relay.adminToken}`)
    await expect(page.locator(LAST, { hasText: 'Before' })).toBeVisible()
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
    // the first visit learnt the workspace's epoch
    await expect.poll(() => page.evaluate(() => localStorage.getItem('kanso:epoch'))).not.toBeNull()

    const backup = await fetch(`${relay.url}/api/v1/backup`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
    expect(backup.status).toBe(200)
    const file = join(dir, 'backup.sqlite')
    writeFileSync(file, Buffer.from(await backup.arrayBuffer()))

    // after the backup: a contact made and synced, then one made offline
    await postRecord(relay, 'contacts', { last_name: 'After' })
    await expect(page.locator(LAST, { hasText: 'After' })).toBeVisible()
    await context.setOffline(true)
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')
    await page.getByRole('button', { name: '+ New contact' }).click()
    await expect(page.locator('.kanso-editor')).toBeFocused()
    await page.keyboard.press('Tab')
    await page.keyboard.type('Offline')
    await page.keyboard.press('Enter')
    await expect(page.locator(LAST, { hasText: 'Offline' })).toBeVisible()
    // and an edit of a contact the backup has: carried over after the restore
    await typeInto(page, before, 'contacts.first_name', 'Ada')

    const { port, dataDir, adminToken } = relay
    await relay.stop({ keepData: true })
    execFileSync(process.execPath, ['bin/kanso.js', 'restore', file, '--data', dataDir], { encoding: 'utf8' })
    relay = await startRelayProcess({ dataDir, port, adminToken })

    // refused with 4409, the page drops its copies and reloads them from the relay
    const reloaded = page.waitForEvent('load', { timeout: 20_000 })
    await context.setOffline(false)
    await reloaded
    await expect.poll(() => lastNames(page), { timeout: 20_000 }).toEqual(['Before'])
    await expect(cell(page, before, 'contacts.first_name')).toHaveText('Ada')
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
    const rows = await fetch(`${relay.url}/api/v1/contacts`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
    expect(((await rows.json()) as { data: Array<{ first_name: string; last_name: string }> }).data.map((c) => [c.first_name, c.last_name])).toEqual([['Ada', 'Before']])
    await context.close()
  } finally {
    await relay.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
