import { expect, type Page } from '@playwright/test'

/** A grid cell by row id and column (field) id. */
export function gridCell(page: Page, rowId: string, colId: string) {
  return page.locator(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`)
}

/** The value shown in a cell (without teammates' presence badges). */
export function cell(page: Page, rowId: string, colId: string) {
  return gridCell(page, rowId, colId).locator('.kanso-cell-value')
}

/** The id of the one row whose `colId` cell shows `text`. */
export async function rowIdOf(page: Page, colId: string, text: string): Promise<string> {
  const row = page.locator(`.kanso-grid .ag-row`, { has: page.locator(`.ag-cell[col-id="${colId}"] .kanso-cell-value`, { hasText: text }) })
  await expect(row).toHaveCount(1)
  return (await row.getAttribute('row-id'))!
}

/** Adds a contact like a user: "+ New contact", the first name, Tab, the last name, Enter; answers its row id. */
export async function addContact(page: Page, first: string, last: string): Promise<string> {
  await page.getByRole('button', { name: '+ New contact' }).click()
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(first)
  await page.keyboard.press('Tab')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.type(last)
  await page.keyboard.press('Enter')
  return rowIdOf(page, 'contacts.last_name', last)
}

/** Edits a cell like a user: click, Enter, select all, type, Enter. */
export async function typeInto(page: Page, rowId: string, colId: string, text: string) {
  await gridCell(page, rowId, colId).click()
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
}

/**
 * Moves the keyboard focus to a row's cell that may be scrolled out of view (AG Grid draws only
 * the columns in view): the row's first cell in view, then ArrowRight until the column, as a person
 * would; the grid scrolls along.
 */
export async function focusCellByKeyboard(page: Page, rowId: string, firstColId: string, colId: string): Promise<void> {
  await gridCell(page, rowId, firstColId).click()
  for (let i = 0; i < 30; i++) {
    const focused = await page.evaluate(() => document.activeElement?.closest('.ag-cell')?.getAttribute('col-id') ?? null)
    if (focused === colId) return
    await page.keyboard.press('ArrowRight')
  }
  throw new Error(`no cell ${colId} reached with ArrowRight from ${firstColId}`)
}

/** Types into a cell reached by the keyboard (focusCellByKeyboard): Enter, select all, type, Enter. */
export async function typeIntoByKeyboard(page: Page, rowId: string, firstColId: string, colId: string, text: string): Promise<void> {
  await focusCellByKeyboard(page, rowId, firstColId, colId)
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toBeFocused()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await expect(page.locator('.kanso-editor')).toHaveCount(0)
}
