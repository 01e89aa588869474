import { expect, test, type Page } from '@playwright/test'
import { LAPTOP, TABLET, openSignedIn } from './openSignedIn'
import { postRecord } from './postRecord'
import { startRelayProcess, type RelayProcess } from './relayProcess'

// Issue 17: reports in the page, from the rows on the device. Deals seeded and moved through the
// REST API; the funnel's counts and conversions are read from the chart's own data; a report
// built in the builder matches the engine over HTTP; a shared dashboard made in one browser shows
// in another, follows a teammate's edit, and survives a reload offline.

let relay: RelayProcess

test.beforeAll(async () => { relay = await startRelayProcess() })
test.afterAll(async () => { await relay?.stop() })

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's answers are read field by field below
async function v1(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${relay.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: res.status === 204 ? null : await res.json() }
}

async function move(id: string, ...stages: string[]): Promise<void> {
  for (const stage of stages) {
    const res = await v1('PATCH', `/deals/${id}`, { stage, ...(stage === 'Lost' ? { lost_reason: 'Price' } : {}) })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
}

interface ChartData { kind: string; labels: string[]; series: { label: string; data: (number | null)[] }[]; notes: string[] }
const chartData = async (page: Page, within = page.locator('body')): Promise<ChartData> =>
  JSON.parse((await within.getByTestId('report-chart').first().getAttribute('data-chart')) ?? '{}') as ChartData

test('the funnel shows the hand-counted counts and conversions, a click lists the deals behind a stage; a built report matches the engine; a shared dashboard reaches a teammate live and offline', async ({ browser }, testInfo) => {
  test.setTimeout(120_000)
  // D1 New → Qualified → Proposal → Won · D2 New → Qualified → Lost · D3 New → Proposal (skips Qualified) · D4 stays New
  const d1 = await postRecord(relay, 'deals', { title: 'Alpha deal', stage: 'New', amount: { amount: 1000, currency: 'EUR' }, source: 'Website' })
  const d2 = await postRecord(relay, 'deals', { title: 'Beta deal', stage: 'New', amount: { amount: 500, currency: 'EUR' }, source: 'Referral' })
  const d3 = await postRecord(relay, 'deals', { title: 'Gamma deal', stage: 'New', amount: { amount: 200, currency: 'EUR' }, source: 'Website' })
  await postRecord(relay, 'deals', { title: 'Delta deal', stage: 'New', amount: { amount: 100, currency: 'EUR' }, source: 'Website' })
  await move(d1, 'Qualified', 'Proposal', 'Won')
  await move(d2, 'Qualified', 'Lost')
  await move(d3, 'Proposal')

  const annToken = await relay.addMember('Ann', 'editor')
  const bobToken = await relay.addMember('Bob', 'editor')
  const ann = await openSignedIn(relay, browser, annToken, '/reports')
  await expect(ann.getByRole('link', { name: 'Sales funnel' })).toBeVisible()
  await ann.getByRole('link', { name: 'Sales funnel' }).click()
  await expect(ann).toHaveURL(/\/reports\/sales_funnel$/)

  // the chart's own figures: a deal counts in every stage up to the furthest it reached
  await expect.poll(async () => (await chartData(ann)).series?.[0]?.data).toEqual([4, 3, 2, 1, 1, 1])
  const funnel = await chartData(ann)
  expect(funnel.labels).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Won'])
  expect(funnel.notes.slice(1, 3)).toEqual(['75% of previous · 75% of first', '66.7% of previous · 50% of first'])
  await expect(ann.getByTestId('win-rate')).toHaveText('50%')
  // the engine over HTTP counts the same
  const api = await v1('GET', '/reports/funnel')
  expect(api.body.stages.map((s: { count: number }) => s.count)).toEqual(funnel.series[0]!.data)
  expect(api.body.win_rate).toBe(0.5)
  await ann.screenshot({ path: testInfo.outputPath('funnel-1280x800.png') })

  // the table view, and the deals behind a stage opening their panel
  await ann.getByRole('button', { name: 'Table', exact: true }).click()
  await ann.getByTestId('report-table').getByRole('row', { name: /^Proposal/ }).click()
  const behind = ann.getByTestId('report-records')
  await expect(behind).toContainText('Proposal: 2 deals')
  await expect(behind.getByRole('link')).toHaveText(['Alpha deal', 'Gamma deal'])
  // the lost stage lists the deal lost in the period
  await ann.getByTestId('report-table').getByRole('row', { name: /^Lost/ }).click()
  await expect(behind).toContainText('Lost: 1 deal')
  await expect(behind.getByRole('link')).toHaveText(['Beta deal'])
  await ann.getByTestId('report-table').getByRole('row', { name: /^Proposal/ }).click()
  await behind.getByRole('link', { name: 'Gamma deal' }).click()
  await expect(ann).toHaveURL(new RegExp(`/deals/${d3}$`))
  await expect(ann.getByRole('complementary').or(ann.locator('.kanso-record-panel')).first()).toBeVisible()

  // the builder: deals counted by source, the result following each change
  await ann.goto(`${relay.url}/reports/new#token=${annToken}`)
  await expect(ann.getByTestId('report-builder')).toBeVisible()
  await ann.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Source' })
  await expect.poll(async () => {
    const d = await chartData(ann)
    return Object.fromEntries(d.labels.map((l, i) => [l, d.series[0]!.data[i]]))
  }).toMatchObject({ Website: 3, Referral: 1 })
  await ann.getByRole('combobox', { name: 'Measure 1' }).selectOption({ label: 'Sum of' })
  await expect.poll(async () => {
    const d = await chartData(ann)
    return Object.fromEntries(d.labels.map((l, i) => [l, d.series[0]!.data[i]]))
  }).toMatchObject({ Website: 1300, Referral: 500 })
  // a relative-date filter from the shared condition editor: nothing was created last month
  const filters = ann.locator('.kanso-builder-filters')
  await filters.getByRole('combobox', { name: 'Field' }).selectOption({ label: 'Created' })
  await filters.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'is in' })
  await filters.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'last month' })
  await filters.getByRole('button', { name: 'Add' }).click()
  await expect(filters).toContainText('Created is in last month')
  const bySource = async () => {
    const d = await chartData(ann)
    return Object.fromEntries(d.labels.map((l, i) => [l, d.series[0]!.data[i]]))
  }
  await expect.poll(bySource).toMatchObject({ Website: 0, Referral: 0 })
  await filters.getByRole('button', { name: 'Remove this filter' }).click()
  await expect.poll(bySource).toMatchObject({ Website: 1300, Referral: 500 })
  await ann.getByRole('textbox', { name: 'Report name' }).fill('Amount by source')
  await ann.getByRole('checkbox', { name: 'Share with the team' }).check()
  await ann.screenshot({ path: testInfo.outputPath('builder-1280x800.png') })
  await ann.setViewportSize(TABLET)
  await ann.screenshot({ path: testInfo.outputPath('builder-820x1180.png') })
  await ann.setViewportSize(LAPTOP)
  const built = await chartData(ann)
  await ann.getByRole('button', { name: 'Save report' }).click()
  await expect(ann).toHaveURL(/\/reports\/s\.[A-Za-z0-9]+$/)
  const savedId = ann.url().split('/').pop()!
  // the saved report over HTTP: the same figures as the builder drew
  await expect.poll(async () => (await v1('GET', `/reports/${savedId}`)).status).toBe(200)
  const overHttp = (await v1('GET', `/reports/${savedId}`)).body as { rows: Record<string, unknown>[]; columns: { key: string; kind: string }[] }
  const measureKey = overHttp.columns.find((c) => c.kind === 'measure')!.key
  const httpBySource = Object.fromEntries(overHttp.rows.map((r) => [r.source_label, r[measureKey]]))
  expect(httpBySource).toEqual(Object.fromEntries(built.labels.map((l, i) => [l, built.series[0]!.data[i]])))

  // a shared dashboard: made by Ann, seen by Bob, following Ann's tiles and a new deal live
  await ann.goto(`${relay.url}/reports#token=${annToken}`)
  await ann.getByRole('textbox', { name: 'New dashboard name' }).fill('Team board')
  await ann.getByRole('button', { name: 'Create dashboard' }).click()
  await expect(ann).toHaveURL(/\/reports\/dashboards\/s\./)
  const boardPath = new URL(ann.url()).pathname
  await ann.getByRole('combobox', { name: 'Add a report' }).selectOption({ label: 'Amount by source' })
  await expect(ann.getByTestId('dashboard').locator('.kanso-dashboard-tile')).toHaveCount(3)

  const bob = await openSignedIn(relay, browser, bobToken, '/reports')
  await expect(bob.getByRole('link', { name: /Team board/ })).toBeVisible()
  await bob.getByRole('link', { name: /Team board/ }).click()
  const tiles = bob.getByTestId('dashboard').locator('.kanso-dashboard-tile')
  await expect(tiles).toHaveCount(3)
  const funnelTile = bob.locator('.kanso-dashboard-tile[data-report="sales_funnel"]')
  await expect.poll(async () => (await chartData(bob, funnelTile)).series?.[0]?.data[0]).toBe(4)
  await postRecord(relay, 'deals', { title: 'Epsilon deal', stage: 'New', amount: { amount: 50, currency: 'EUR' }, source: 'Website' })
  await expect.poll(async () => (await chartData(bob, funnelTile)).series?.[0]?.data[0]).toBe(5)
  await ann.getByRole('combobox', { name: 'Add a report' }).selectOption({ label: 'Forecast by expected close month' })
  await expect(tiles).toHaveCount(4)
  await bob.screenshot({ path: testInfo.outputPath('dashboard-1280x800.png') })
  await bob.setViewportSize(TABLET)
  await bob.screenshot({ path: testInfo.outputPath('dashboard-820x1180.png') })

  // offline: the app shell, the dashboard and its figures come from this device
  await bob.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 20_000 })
  await expect(bob.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  await bob.context().setOffline(true)
  await bob.reload()
  await expect(bob).toHaveURL(new RegExp(`${boardPath.replace(/\./g, '\\.')}$`))
  await expect(bob.getByTestId('dashboard').locator('.kanso-dashboard-tile')).toHaveCount(4)
  await expect.poll(async () => (await chartData(bob, funnelTile)).series?.[0]?.data[0]).toBe(5)
  await expect(bob.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline')

  await ann.goto(`${relay.url}/reports/sales_funnel#token=${annToken}`)
  await ann.setViewportSize(TABLET)
  await expect.poll(async () => (await chartData(ann)).series?.[0]?.data[0]).toBe(5)
  await ann.screenshot({ path: testInfo.outputPath('funnel-820x1180.png') })
  await ann.context().close()
  await bob.context().close()
})
