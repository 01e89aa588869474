import { expect, type Page } from '@playwright/test'
import { cell, typeIntoByKeyboard } from './gridHelpers'

// The board's and a deal's lines panel's parts as the sales specs (board, dealLines,
// dealDocuments, saleFlow) read and use them.

/** A stage's column on the board. */
export function boardColumn(page: Page, stageId: string) {
  return page.locator(`.kanso-board-column[data-stage-id="${stageId}"]`)
}

/** A deal's card, wherever it is on the board. */
export function boardCard(page: Page, dealId: string) {
  return page.locator(`[data-card-id="${dealId}"]`)
}

/** A deal's card in one stage's column. */
export function cardInColumn(page: Page, stageId: string, dealId: string) {
  return boardColumn(page, stageId).locator(`[data-card-id="${dealId}"]`)
}

/** Drags a card to another stage's column with the mouse, as a person does: press, move in steps, release. */
export async function dragCard(page: Page, dealId: string, toStageId: string): Promise<void> {
  const from = (await boardCard(page, dealId).boundingBox())!
  const to = (await boardColumn(page, toStageId).locator('.kanso-board-column-body').boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + Math.min(from.height / 2, 20))
  await page.mouse.down()
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + 30, { steps: 4 })
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 60), { steps: 12 })
  await page.mouse.up()
}

/** The deal's lines panel below the deals grid (the title's cell, then Lines). */
export async function openLines(page: Page, dealId: string): Promise<void> {
  await cell(page, dealId, 'deals.title').click()
  await page.getByRole('button', { name: 'Lines', exact: true }).click()
  await expect(page.getByTestId('deal-lines')).toBeVisible()
}

/** A line of the open lines panel by its name. */
export function lineRow(page: Page, name: string) {
  return page.getByTestId('deal-lines').locator('.ag-row', { has: page.locator('.ag-cell[col-id="deal_lines.name"] .kanso-cell-value', { hasText: name }) })
}

/**
 * Adds a line in the open lines panel: a product's name or free text, then its cells typed as in
 * the grid (column key → text, e.g. `{ quantity: '4', unit_price: '649' }`), each reached from the
 * name with the arrow keys (a narrow panel shows a few columns at a time). Answers the line's id.
 */
export async function addLine(page: Page, name: string, cells: Record<string, string> = {}): Promise<string> {
  const input = page.getByLabel('Product or free text for a new line')
  await input.fill(name)
  await input.press('Enter')
  await expect(lineRow(page, name)).toHaveCount(1)
  const id = (await lineRow(page, name).getAttribute('row-id'))!
  for (const [key, text] of Object.entries(cells)) await typeIntoByKeyboard(page, id, 'deal_lines.name', `deal_lines.${key}`, text)
  return id
}
