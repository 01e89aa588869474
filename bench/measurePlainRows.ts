import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT } from './chromiumOptions'
import { measureHeap } from './measureHeap'
import { timeJsonParse } from './timeJsonParse'

export interface PlainRowsSample {
  /** Heap held by the parsed rows: used heap with them minus the empty page's. */
  heapBytes: number
  /** The empty page's own heap, for reference. */
  blankPageHeapBytes: number
  /** JSON.parse of the rows in an empty page, each run in ms (none when asked for 0 runs). */
  jsonParseMs: number[]
}

/** The same rows as plain objects, in a fresh page without the app: the heap they need. */
export async function measurePlainRows(o: { blankUrl: string; rowsUrl: string; reps: number; jsonParseRuns: number }): Promise<PlainRowsSample[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    const samples: PlainRowsSample[] = []
    for (let i = 0; i < o.reps; i++) {
      const context = await browser.newContext({ viewport: VIEWPORT })
      try {
        const page = await context.newPage()
        await page.goto(o.blankUrl)
        const before = await measureHeap(context, page)
        await page.evaluate(`(async () => {
          window.__rows = JSON.parse(await (await fetch(${JSON.stringify(o.rowsUrl)}, { cache: 'no-store' })).text())
        })()`)
        const after = await measureHeap(context, page)
        const jsonParseMs = o.jsonParseRuns > 0 ? await timeJsonParse(page, o.rowsUrl, o.jsonParseRuns) : []
        samples.push({ heapBytes: after.usedBytes - before.usedBytes, blankPageHeapBytes: before.usedBytes, jsonParseMs })
      } finally {
        await context.close()
      }
    }
    return samples
  } finally {
    await browser.close()
  }
}
