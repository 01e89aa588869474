/** Dispatched on `window` once a list's first rows are on screen (GridView); the service worker waits for it. */
export const ROWS_SHOWN_EVENT = 'kanso:rows-shown'
