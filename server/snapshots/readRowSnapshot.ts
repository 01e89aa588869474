import type { RelayStorage } from '../storage/relayStorage'
import { encodeRowSnapshot } from './encodeRowSnapshot'

/**
 * An entity document's row snapshot: the saved one when `acceptSaved` (whatever seq it reflects)
 * or when it is current, else decoded from the document and saved for the next time.
 */
export function readRowSnapshot(storage: RelayStorage, docName: string, acceptSaved: boolean): { seq: number; bytes: Uint8Array } {
  const seq = storage.lastSeq(docName)
  const saved = storage.loadRowSnapshot(docName)
  if (saved && (acceptSaved || saved.seq === seq)) return saved
  const bytes = encodeRowSnapshot(storage.loadDocument(docName))
  storage.saveRowSnapshot(docName, seq, bytes)
  return { seq, bytes }
}
