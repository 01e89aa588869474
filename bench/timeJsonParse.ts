import type { Page } from 'playwright-core'

/**
 * Fetches the rows' JSON into the page, then times `JSON.parse` of it there `runs` times
 * (performance.now in the page). Returns each run in ms.
 */
export async function timeJsonParse(page: Page, rowsUrl: string, runs: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const text = await (await fetch(${JSON.stringify(rowsUrl)}, { cache: 'no-store' })).text()
    const times = []
    let sink = 0
    for (let i = 0; i < ${runs}; i++) {
      const started = performance.now()
      const rows = JSON.parse(text)
      times.push(performance.now() - started)
      sink += rows.length
    }
    if (sink === 0) throw new Error('the rows JSON is empty')
    return times
  })()`) as Promise<number[]>
}
