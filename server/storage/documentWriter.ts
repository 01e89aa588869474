import type { RelayStorage } from './relayStorage'

/**
 * Where the relay's document writes go, one after another in the order they were asked for:
 * appends, compacted rows, state vectors. An update is forwarded once its append resolves,
 * which means it is durable: it survives the relay being killed.
 */
export interface DocumentWriter {
  /** Appends updates in one transaction; resolves with their seqs once durable. */
  append(entries: ReadonlyArray<{ name: string; update: Uint8Array }>): Promise<number[]>
  /** Replaces the rows ≤ upToSeq by `merged`, keeping its state vector beside it. */
  compact(name: string, merged: Uint8Array, upToSeq: number, stateVector: Uint8Array): Promise<void>
  storeStateVector(name: string, seq: number, stateVector: Uint8Array): Promise<void>
  /**
   * Resolves once storage itself (what its readers, in any thread, see) has every write asked
   * for `name` so far: appends may be durable before that (see sqliteDocumentWriter).
   */
  settled(name: string): Promise<void>
  /** Finishes the writes asked for so far, then stops. */
  close(): Promise<void>
}

const attempt = <T>(write: () => T): Promise<T> => {
  try {
    return Promise.resolve(write())
  } catch (error) {
    return Promise.reject(error as Error)
  }
}

/** Writes in this thread: for storage without a file (memory), where a write costs nothing. */
export function inlineDocumentWriter(storage: RelayStorage): DocumentWriter {
  return {
    append: (entries) => attempt(() => storage.appendUpdates(entries)),
    compact: (name, merged, upToSeq, stateVector) => attempt(() => storage.compact(name, merged, upToSeq, stateVector)),
    storeStateVector: (name, seq, stateVector) => attempt(() => storage.storeStateVector(name, seq, stateVector)),
    settled: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }
}
