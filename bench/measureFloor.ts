import type { BrowserContext } from 'playwright-core'
import { FLOOR_PATH } from './buildFloorPage'
import { FLOOR_EDIT_MARK } from './floor/floorMarks'
import { editRightAway, readProbe, waitForMark, watchProblems, type UserEdit } from './openPage'

/** The app grid's box on screen: the floor page's grid gets the same, so as many rows fit. */
export interface GridBox { width: number; height: number }

export interface FloorOptions {
  appUrl: string
  token: string
  entityId: string
  /** stored: the row snapshot the app stored in this profile's IndexedDB; relay: GET /api/snapshots/<entity>. */
  from: 'stored' | 'relay'
  box: GridBox | null
  /** The first row's cell edited as soon as rows are shown, as in the app's stored open (B2). */
  edit: { header: string; value: string }
  timeoutMs: number
}

/** One open of the floor page (bench/floor/): the same marks as the app's open. */
export interface FloorRun {
  /** ms from navigation start until the first grid rows were painted (openProbe's shownAt). */
  shownMs: number
  /** ms until the first row was in the DOM. */
  rowsMs: number
  /** The first edit: `storedMs` is the floor's `floor:edit-applied` mark (the grid took the edit). */
  edit: UserEdit
  /** Every long task of the page until the edit (or rows shown + 2 s): [start, duration] ms. */
  longTasks: [number, number][]
}

/** How long after rows are shown the bench waits for the floor's edit mark (the click and the typing take ~0.4 s). */
const EDIT_WAIT_MS = 10_000

export function floorUrl(o: Pick<FloorOptions, 'appUrl' | 'token' | 'entityId' | 'from' | 'box'>): string {
  const query = new URLSearchParams({ from: o.from, entity: o.entityId })
  if (o.box) {
    query.set('width', String(Math.round(o.box.width)))
    query.set('height', String(Math.round(o.box.height)))
  }
  return `${o.appUrl}${FLOOR_PATH}?${query}#token=${encodeURIComponent(o.token)}`
}

/**
 * Opens the floor page in the launched `context` (its first page), with the service worker
 * bypassed: the app's worker would answer every navigation of its origin with the app. Then
 * edits the first row's cell like a user, as the app's stored open does.
 */
export async function measureFloorOpen(context: BrowserContext, o: FloorOptions): Promise<FloorRun> {
  const page = context.pages()[0] ?? (await context.newPage())
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setBypassServiceWorker', { bypass: true })
  const problems = watchProblems(page)
  const { edit } = await editRightAway(page, floorUrl(o), o.edit.header, o.edit.value, o.timeoutMs, problems)
  if (!edit.error) edit.storedMs = await waitForMark(page, FLOOR_EDIT_MARK, EDIT_WAIT_MS)
  const probe = await readProbe(page)
  edit.clickedMs = probe.firstInputAt
  return { shownMs: probe.shownAt!, rowsMs: probe.rowsAt!, edit, longTasks: probe.longTasks }
}
