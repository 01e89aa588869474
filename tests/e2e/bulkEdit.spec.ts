import { expect, test, type Page } from '@playwright/test'
import { cell } from './gridHelpers'
import { openSignedIn, TABLET } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 15: bulk edit and the trash, in two browsers on one real relay.

// a relay each: the second test must not depend on what the first left behind
let relay: RelayProcess
test.beforeEach(async () => { relay = await startRelayProcess() })
test.afterEach(async () => { await relay?.stop() })

/** 50 "Batch deal NN" and 10 "Other deal NN" deals, all at the first stage; their ids in that order. */
async function seedDeals(): Promise<string[]> {
  const ids: string[] = []
  for (let i = 1; i <= 60; i++) ids.push(await postRecord(relay, 'deals', { title: `${i <= 50 ? 'Batch' : 'Other'} deal ${String(i).padStart(2, '0')}`, stage: 'New' }))
  return ids
}

const STAGE = 'deals.stage'
const TITLE = 'deals.title'

async function openDeals(page: Page): Promise<void> {
  await expect(page.locator('.kanso-grid .ag-root')).toBeVisible()
  await expect(page.locator('.kanso-count')).toHaveText('60 deals')
}

/** Ticks every row the search shows (the selection column's header box). */
async function selectShown(page: Page, search: string, count: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search Deals' }).fill(search)
  await expect(page.locator('.kanso-count')).toHaveText(`${count} of 60 deals`)
  await page.locator('.kanso-select-all').check()
  await expect(page.getByTestId('bulk-edit')).toHaveText(`Edit ${count} rows…`)
}

async function dealOf(id: string): Promise<{ stage: string; lost_reason: string | null }> {
  const res = await fetch(`${relay.url}/api/v1/deals/${id}`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
  return (await res.json()) as { stage: string; lost_reason: string | null }
}

async function stageOf(id: string): Promise<string> {
  return (await dealOf(id)).stage
}

test('bulk edit 50 deals, B sees it, one Ctrl+Z undoes all 50; bulk delete, the trash with who and when, restore', async ({ browser }, testInfo) => {
  const ids = await seedDeals()
  const batch = ids.slice(0, 50)
  const aliceToken = await relay.addMember('Alice', 'admin')
  const bobToken = await relay.addMember('Bob', 'editor')
  const a = await openSignedIn(relay, browser, aliceToken, '/deals')
  const b = await openSignedIn(relay, browser, bobToken, '/deals')
  await openDeals(a)
  await openDeals(b)
  const newStage = await stageOf(batch[0]!)

  // every row the search shows, then one field for all of them, confirmed with its count
  await selectShown(a, 'Batch', 50)
  await a.getByTestId('bulk-edit').click()
  const dialog = a.getByTestId('bulk-edit-dialog')
  await expect(dialog.getByRole('heading')).toHaveText('Edit 50 deals')
  await dialog.getByTestId('bulk-edit-field').selectOption({ label: 'Stage' })
  const value = dialog.getByTestId('bulk-edit-value').locator('.kanso-editor')
  // refused as a cell would refuse it, before anything is written
  await value.fill('Nope')
  await value.press('Enter')
  await expect(dialog.getByTestId('bulk-edit-refusal')).toContainText('Stage')
  await value.fill('Won')
  await value.press('Enter')
  await expect(dialog.getByTestId('bulk-edit-question')).toHaveText('Set Stage to Won on 50 deals?')
  await a.screenshot({ path: testInfo.outputPath('bulk-edit-dialog-1280x800.png') })
  await dialog.getByRole('button', { name: 'Set Stage to Won on 50 deals' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(a.locator('.kanso-toast')).toContainText('Set Stage to Won on 50 deals')

  // B sees it (the rows in B's view, and every one of the 50 on the relay); the 10 others kept theirs
  await b.getByRole('searchbox', { name: 'Search Deals' }).fill('Batch deal 0')
  for (const id of batch.slice(0, 9)) await expect(cell(b, id, STAGE)).toHaveText('Won')
  await expect.poll(async () => (await Promise.all(batch.map(stageOf))).filter((s) => s !== newStage).length, { timeout: 15_000 }).toBe(50)
  expect(await stageOf(ids[55]!)).toBe(newStage)

  // one Ctrl+Z in A takes back all 50, and B sees that
  await cell(a, batch[0]!, TITLE).click()
  await a.keyboard.press('ControlOrMeta+z')
  for (const id of batch.slice(0, 9)) await expect(cell(b, id, STAGE)).toHaveText('New')
  await expect.poll(async () => (await Promise.all(batch.map(stageOf))).filter((s) => s === newStage).length, { timeout: 15_000 }).toBe(50)

  // bulk delete: the count confirmed, then gone from B too
  await expect(a.getByRole('button', { name: 'Delete (50)' })).toBeEnabled()
  await a.getByRole('button', { name: 'Delete (50)' }).click()
  const confirm = a.getByTestId('confirm-dialog')
  await expect(confirm.getByRole('heading')).toHaveText('Delete 50 deals?')
  await confirm.getByRole('button', { name: 'Delete anyway' }).click()
  await b.getByRole('searchbox', { name: 'Search Deals' }).fill('')
  await expect(b.locator('.kanso-count')).toHaveText('10 deals')
  await expect(b.getByTestId('trash-link')).toHaveText('Trash (50)')

  // the trash lists them with who deleted them and when; a restore brings them back for B
  await a.getByRole('searchbox', { name: 'Search Deals' }).fill('')
  await a.getByTestId('trash-link').click()
  const trash = a.getByTestId('trash-dialog')
  await expect(trash.getByTestId('trash-count')).toHaveText('50 deals in the trash')
  await expect(trash.getByTestId('trash-row')).toHaveCount(50)
  await expect(trash.getByTestId('trash-deleted-by').first()).toHaveText('Alice')
  await expect(trash.locator('time').first()).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/)
  await a.screenshot({ path: testInfo.outputPath('trash-1280x800.png') })
  await trash.getByRole('checkbox', { name: 'Select all in the trash' }).check()
  await trash.getByRole('button', { name: 'Restore 50 deals' }).click()
  await expect(trash.getByTestId('trash-empty')).toBeVisible()
  await expect(b.locator('.kanso-count')).toHaveText('60 deals')
  await expect(b.getByTestId('trash-link')).toHaveText('Trash (0)')
})

test('the bulk edit dialog and the trash on a tablet, and an admin\'s purge', async ({ browser }, testInfo) => {
  const others = (await seedDeals()).slice(50)
  const aliceToken = await relay.addMember('Alina', 'admin')
  const a = await openSignedIn(relay, browser, aliceToken, '/deals', TABLET)
  await openDeals(a)
  await selectShown(a, 'Other', 10)
  await a.getByTestId('bulk-edit').click()
  const dialog = a.getByTestId('bulk-edit-dialog')
  await dialog.getByTestId('bulk-edit-field').selectOption({ label: 'Stage' })
  await dialog.getByTestId('bulk-edit-value').locator('.kanso-editor').fill('Lost')
  await dialog.getByTestId('bulk-edit-value').locator('.kanso-editor').press('Enter')
  await expect(dialog.getByTestId('bulk-edit-question')).toHaveText('Set Stage to Lost on 10 deals?')
  // a move to a lost stage asks its reason once for all
  await dialog.getByRole('button', { name: 'Set Stage to Lost on 10 deals' }).click()
  await expect(dialog.getByRole('alert')).toContainText('Give a reason')
  await dialog.getByLabel('Why were they lost? (one reason for all)').fill('Budget cut')
  await a.screenshot({ path: testInfo.outputPath('bulk-edit-dialog-820x1180.png') })
  await dialog.getByRole('button', { name: 'Set Stage to Lost on 10 deals' }).click()
  await expect(dialog).toHaveCount(0)
  await expect.poll(async () => (await Promise.all(others.map((id) => dealOf(id)))).filter((d) => d.lost_reason === 'Budget cut').length, { timeout: 15_000 }).toBe(10)

  await a.getByRole('button', { name: 'Delete (10)' }).click()
  await a.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete anyway' }).click()
  await a.getByRole('searchbox', { name: 'Search Deals' }).fill('')
  await expect(a.getByTestId('trash-link')).toHaveText('Trash (10)')
  await a.getByTestId('trash-link').click()
  const trash = a.getByTestId('trash-dialog')
  await expect(trash.getByTestId('trash-row')).toHaveCount(10)
  await trash.getByRole('checkbox', { name: /^Select Other deal/ }).first().check()
  await a.screenshot({ path: testInfo.outputPath('trash-820x1180.png') })
  await trash.getByRole('button', { name: 'Purge for good…' }).click()
  await a.getByTestId('confirm-dialog').getByRole('button', { name: 'Purge for good' }).click()
  await expect(trash.getByTestId('trash-row')).toHaveCount(9)
  await expect(trash.getByTestId('trash-count')).toHaveText('9 deals in the trash')
})
