import { expect, test, type Page } from '@playwright/test'
import { apiGetAsAdmin, memberIdOf, openSignedIn, TABLET } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 16's activities and My work, as two members on one relay: Alice gives Bob a call from a
// contact's panel, Bob sees it in My work under Today, is reminded when it falls due, logs it as
// done with its outcome, and Alice's timeline of the contact shows it done.

test.use({ actionTimeout: 20_000, screenshot: 'only-on-failure' })

let relay: RelayProcess
test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

const panel = (page: Page) => page.getByTestId('record-panel')
const timelineActivity = (page: Page, subject: string) => panel(page).getByTestId('timeline-activity').filter({ hasText: subject })
const myWorkItem = (page: Page, group: string, subject: string) => page.getByTestId(`my-work-${group}`).getByTestId('my-work-item').filter({ hasText: subject })

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC (the pages' time zone): a datetime-local input's value. */
const localInput = (ms: number) => new Date(ms).toISOString().slice(0, 19)

test('a call given from a contact\'s panel → the assignee\'s My work under Today → a reminder when due → done as "connected" → done in the giver\'s timeline; reschedule; an admin looks at anyone\'s list', async ({ browser }, testInfo) => {
  test.setTimeout(240_000)
  const anna = await postRecord(relay, 'contacts', { first_name: 'Anna', last_name: 'Schmidt', email: 'anna@globex.example' })
  const aliceToken = await relay.addMember('Alice Seller', 'editor')
  const bobToken = await relay.addMember('Bob Caller', 'editor')
  const bob = await memberIdOf(relay, bobToken)
  // an overdue task of Bob's, to reschedule
  const yesterday = new Date(Date.now() - 86_400_000)
  yesterday.setUTCHours(14, 30, 0, 0)
  await postRecord(relay, 'activities', { type: 'task', subject: 'Send the brochure', owner: bob, due: yesterday.toISOString(), related: anna })

  const alice = await openSignedIn(relay, browser, aliceToken, `/contacts/${anna}`)
  await expect(panel(alice).getByRole('heading', { name: 'Schmidt' })).toBeVisible()
  await expect(panel(alice).getByTestId('quick-add-subject')).toBeVisible()
  // the older task is in the contact's timeline already
  await expect(timelineActivity(alice, 'Send the brochure')).toBeVisible()

  // a, the subject; Tab to the type, due and whom it is for; Enter
  const dueAt = Date.now() + 45_000
  await panel(alice).locator('.kanso-panel-close').focus()
  await alice.keyboard.press('a')
  await expect(panel(alice).getByTestId('quick-add-subject')).toBeFocused()
  await alice.keyboard.type('Call Anna about the offer')
  await alice.keyboard.press('Tab')
  const quickAdd = panel(alice).getByTestId('quick-add')
  await expect(quickAdd.getByLabel('Type')).toBeFocused()
  await quickAdd.getByLabel('Type').selectOption('call')
  await quickAdd.getByLabel('Due').fill(localInput(dueAt))
  await quickAdd.getByLabel('For').selectOption({ label: 'Bob Caller' })
  await quickAdd.getByLabel('For').press('Enter')
  await expect(panel(alice).getByTestId('quick-add-subject')).toHaveValue('')
  const call = timelineActivity(alice, 'Call Anna about the offer')
  await expect(call).toContainText('Bob Caller')
  await expect(call).toHaveAttribute('data-done', 'false')
  await alice.screenshot({ path: testInfo.outputPath('timeline-1280x800.png') })

  // Bob signs in: My work is his first screen, the call under Today (unless the test runs into midnight UTC)
  const bobPage = await openSignedIn(relay, browser, bobToken, '/')
  await expect(bobPage.getByRole('heading', { name: 'My work' })).toBeVisible()
  const group = new Date(dueAt).toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10) ? 'today' : 'upcoming'
  await expect(myWorkItem(bobPage, group, 'Call Anna about the offer')).toContainText('Schmidt')
  await expect(myWorkItem(bobPage, 'overdue', 'Send the brochure')).toBeVisible()
  await bobPage.screenshot({ path: testInfo.outputPath('my-work-1280x800.png') })

  // reschedule with the keyboard: t puts the overdue task to tomorrow, same time of day
  await myWorkItem(bobPage, 'overdue', 'Send the brochure').focus()
  await bobPage.keyboard.press('t')
  await expect(myWorkItem(bobPage, 'upcoming', 'Send the brochure')).toBeVisible()
  const tomorrow = new Date(Date.now() + 86_400_000)
  tomorrow.setUTCHours(14, 30, 0, 0)
  await expect.poll(async () => ((await apiGetAsAdmin(relay, `/activities?owner=${bob}&subject=Send the brochure`)).data as { due: string }[])[0]?.due).toBe(tomorrow.toISOString())
  // Ctrl+Z takes it back to overdue
  await bobPage.keyboard.press('Control+z')
  await expect(myWorkItem(bobPage, 'overdue', 'Send the brochure')).toBeVisible()

  // the call falls due: a reminder in the app with Open / Done / Snooze
  const reminder = bobPage.getByTestId('reminder').filter({ hasText: 'Call Anna about the offer' })
  await expect(reminder).toBeVisible({ timeout: 90_000 })
  await expect(reminder).toContainText('Schmidt')
  await expect(reminder.getByRole('button', { name: 'Snooze' })).toBeVisible()
  await bobPage.screenshot({ path: testInfo.outputPath('reminder-1280x800.png') })
  await reminder.getByRole('button', { name: 'Snooze' }).click()
  await expect(reminder).toHaveCount(0)

  // x on the call asks how it went; 1 = connected
  await expect(myWorkItem(bobPage, 'overdue', 'Call Anna about the offer')).toBeVisible()
  await myWorkItem(bobPage, 'overdue', 'Call Anna about the offer').focus()
  await bobPage.keyboard.press('x')
  await expect(bobPage.getByTestId('outcome-choice')).toBeVisible()
  await expect(bobPage.getByTestId('outcome-choice').locator('button[data-outcome]').first()).toHaveText(/connected/)
  await bobPage.keyboard.press('1')
  await expect(myWorkItem(bobPage, 'done', 'Call Anna about the offer')).toContainText('connected')
  // the next item has the keyboard
  await expect(bobPage.locator('[data-testid="my-work-item"]:focus')).toHaveCount(1)

  // Alice's timeline of Anna shows the call done, with its outcome
  await expect(call).toHaveAttribute('data-done', 'true')
  await expect(call).toContainText('connected')
  const stored = ((await apiGetAsAdmin(relay, `/activities?owner=${bob}&done=true`)).data as { subject: string; outcome: string; done_at: string }[])
  expect(stored.map((a) => [a.subject, a.outcome])).toEqual([['Call Anna about the offer', 'connected']])
  expect(Date.parse(stored[0]!.done_at)).toBeGreaterThan(dueAt - 60_000)

  // Enter opens what the activity is about: Anna's panel beside My work
  await myWorkItem(bobPage, 'overdue', 'Send the brochure').focus()
  await bobPage.keyboard.press('Enter')
  await expect(panel(bobPage).getByRole('heading', { name: 'Schmidt' })).toBeVisible()
  await expect(bobPage.getByTestId('my-work')).toBeVisible()
  await bobPage.screenshot({ path: testInfo.outputPath('my-work-panel-1280x800.png') })
  await bobPage.keyboard.press('Escape')
  await expect(panel(bobPage)).toHaveCount(0)

  // an admin picks Bob's list
  const admin = await openSignedIn(relay, browser, relay.adminToken, '/my-work')
  await admin.getByLabel('Whose work').selectOption({ label: 'Bob Caller' })
  await expect(myWorkItem(admin, 'done', 'Call Anna about the offer')).toBeVisible()
  await expect(myWorkItem(admin, 'overdue', 'Send the brochure')).toBeVisible()

  // the same screens on a tablet
  const tablet = await openSignedIn(relay, browser, bobToken, '/my-work', TABLET)
  await expect(myWorkItem(tablet, 'done', 'Call Anna about the offer')).toBeVisible()
  await tablet.screenshot({ path: testInfo.outputPath('my-work-820x1180.png') })
  await tablet.goto(`${relay.url}/contacts/${anna}`)
  await expect(timelineActivity(tablet, 'Call Anna about the offer')).toHaveAttribute('data-done', 'true')
  await tablet.screenshot({ path: testInfo.outputPath('timeline-820x1180.png') })
})
