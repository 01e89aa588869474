import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import type { RelayProcess } from './relayProcess'

/** A laptop's window unless a spec asks for another (820 × 1180 is the tablet). */
export const LAPTOP = { width: 1280, height: 800 }
export const TABLET = { width: 820, height: 1180 }

/**
 * A member's page at `path` of the app the relay serves, signed in by their token, once it has
 * synced. With a browser, a context of its own (a second person), en-US and UTC so the texts the
 * specs read do not follow the machine; with a context, a new page in it. Page errors are printed.
 */
export async function openSignedIn(relay: RelayProcess, where: Browser | BrowserContext, token: string, path: string, viewport = LAPTOP): Promise<Page> {
  const context = 'newContext' in where ? await where.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport }) : where
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`[page error] ${err.stack ?? err.message}`))
  await page.goto(`${relay.url}${path}#token=${token}`)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced')
  return page
}

/** The member id a token signs in as. */
export async function memberIdOf(relay: RelayProcess, token: string): Promise<string> {
  const res = await fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  return ((await res.json()) as { id: string }).id
}

/** GET /api/v1<path> as the admin: the JSON answer, which must be a 200. */
export async function apiGetAsAdmin(relay: RelayProcess, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${relay.url}/api/v1${path}`, { headers: { authorization: `Bearer ${relay.adminToken}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, unknown>
}
