import { snapshotRowCount } from '../../src/domain/rowSlices'
import type { RelayStorage } from '../storage/relayStorage'
import { encodeRowSnapshot } from './encodeRowSnapshot'
import type { RowSnapshot } from './rowSnapshots'

/**
 * An entity document's row snapshot: the saved one when `acceptSaved` (whatever seq it reflects)
 * or when it is current, else decoded from the document and saved for the next time. Its rows
 * are counted here, in the snapshot thread (~5 ms for 11 MB), not on each request.
 */
export function readRowSnapshot(storage: RelayStorage, docName: string, acceptSaved: boolean): RowSnapshot {
  const seq = storage.lastSeq(docName)
  const saved = storage.loadRowSnapshot(docName)
  if (saved && (acceptSaved || saved.seq === seq)) return { ...saved, rows: snapshotRowCount(saved.bytes) }
  const bytes = encodeRowSnapshot(storage.loadDocument(docName), docName)
  storage.saveRowSnapshot(docName, seq, bytes)
  return { seq, bytes, rows: snapshotRowCount(bytes) }
}
