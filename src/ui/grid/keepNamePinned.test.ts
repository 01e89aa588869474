import type { ColumnState } from 'ag-grid-community'
import { expect, test } from 'vitest'
import { keepNamePinned, SELECTION_COLUMN_ID } from './keepNamePinned'

const NAME = 'contacts.last_name'

test('a layout saved before pinning gets the name and the tick column pinned, its order and widths kept', () => {
  const saved: ColumnState[] = [
    { colId: SELECTION_COLUMN_ID, width: 40, pinned: 'left' },
    { colId: 'contacts.email', width: 300 },
    { colId: NAME, width: 220, pinned: null, sort: 'asc' },
  ]
  expect(keepNamePinned(saved, [NAME])).toEqual([
    { colId: SELECTION_COLUMN_ID, width: 40, pinned: 'left', hide: false },
    { colId: 'contacts.email', width: 300, pinned: null },
    { colId: NAME, width: 220, pinned: 'left', hide: false, sort: 'asc' },
  ])
})

test('a saved state cannot hide or unpin the name, nor pin another column', () => {
  const saved: ColumnState[] = [
    { colId: NAME, hide: true, pinned: 'right' },
    { colId: 'contacts.phone', pinned: 'left', hide: true },
  ]
  expect(keepNamePinned(saved, [NAME])).toEqual([
    { colId: NAME, hide: false, pinned: 'left' },
    { colId: 'contacts.phone', pinned: null, hide: true },
  ])
})

test("a person's first name is pinned and shown with the last name", () => {
  const saved: ColumnState[] = [
    { colId: 'contacts.first_name', width: 150, hide: true },
    { colId: NAME, width: 160 },
    { colId: 'contacts.email', width: 210 },
  ]
  expect(keepNamePinned(saved, ['contacts.first_name', NAME])).toEqual([
    { colId: 'contacts.first_name', width: 150, pinned: 'left', hide: false },
    { colId: NAME, width: 160, pinned: 'left', hide: false },
    { colId: 'contacts.email', width: 210, pinned: null },
  ])
})
