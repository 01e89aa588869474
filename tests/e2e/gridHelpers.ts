import { expect, type Page } from '@playwright/test'

/** A grid cell by row id and column (field) id. */
export function gridCell(page: Page, rowId: string, colId: string) {
  return page.locator(`.kanso-grid .ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`)
}

/** The value shown in a cell (without teammates' presence badges). */
export function cell(page: Page, rowId: string, colId: string) {
  return gridCell(page, rowId, colId).locator('.kanso-cell-value')
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
