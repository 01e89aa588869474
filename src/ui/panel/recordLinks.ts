/**
 * How a list opens a record's panel (Shell owns the address bar): `href` for a real link (a
 * Ctrl/Cmd+click opens it in a new tab, the address can be shared), `open` for the panel here.
 */
export interface RecordLinks {
  href(entityId: string, recordId: string): string
  open(entityId: string, recordId: string): void
}
