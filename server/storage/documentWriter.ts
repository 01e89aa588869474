import type { RelayStorage } from './relayStorage'

/**
 * Where the relay's document writes go, one after another in the order they were asked for:
 * appends, compacted rows, state vectors. An update is forwarded once its append resolves,
 * which means it is durable: it survives the relay being killed.
 */
export interface DocumentWriter {
  /** Appends updates in one transaction; resolves with their seqs once durable. The bytes are handed over: never change them afterwards. */
  append(entries: ReadonlyArray<{ name: string; update: Uint8Array }>): Promise<number[]>
  /** Replaces the rows ≤ upToSeq by `merged`, keeping its state vector beside it. */
  compact(name: string, merged: Uint8Array, upToSeq: number, stateVector: Uint8Array): Promise<void>
  storeStateVector(name: string, seq: number, stateVector: Uint8Array): Promise<void>
  /**
   * Resolves once storage itself (what its readers, in any thread, see) has every write asked
   * for `name` so far: appends may be durable before that (see sqliteDocumentWriter).
   */
  settled(name: string): Promise<void>
  /**
   * A tiny real write into storage along the path document writes take (off this event loop
   * where they are): rejects with the reason when it fails. Its outcome lands in `health()`.
   */
  probe(): Promise<void>
  /** Starts the writer's thread, if it has one; resolves once it takes writes. */
  start(): Promise<void>
  /** What the writer's own recent writes say about storage (see StorageHealth). */
  health(): WriterHealth
  /** Finishes the writes asked for so far, then stops. */
  close(): Promise<void>
}

/** How one write into storage ended; `at` is Date.now(). */
export type WriteOutcome = { ok: true; at: number } | WriteFailure
export interface WriteFailure { ok: false; at: number; reason: string }

export interface WriterHealth {
  /** The last write into storage that ended (a commit of documents, a probe), whichever way. */
  lastWrite: WriteOutcome | null
  /** An append that failed in this thread, when none has worked since (durability is gone). */
  appendFailure: WriteFailure | null
}

/** The writer's record of its outcomes, kept as writes end. */
export class WriteOutcomes {
  private lastWrite: WriteOutcome | null = null
  private appendFailure: WriteFailure | null = null

  read(): WriterHealth {
    return { lastWrite: this.lastWrite, appendFailure: this.appendFailure }
  }

  wrote(): void {
    this.lastWrite = { ok: true, at: Date.now() }
  }

  failed(error: Error): void {
    this.lastWrite = { ok: false, at: Date.now(), reason: error.message }
  }

  appended(): void {
    this.appendFailure = null
  }

  appendFailed(error: Error): void {
    this.appendFailure = { ok: false, at: Date.now(), reason: error.message }
  }
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
  const outcomes = new WriteOutcomes()
  const recorded = <T>(write: () => T): Promise<T> => {
    const result = attempt(write)
    result.then(() => outcomes.wrote(), (error: unknown) => outcomes.failed(error as Error))
    return result
  }
  return {
    append: (entries) => {
      const result = recorded(() => storage.appendUpdates(entries))
      result.then(() => outcomes.appended(), (error: unknown) => outcomes.appendFailed(error as Error))
      return result
    },
    compact: (name, merged, upToSeq, stateVector) => recorded(() => storage.compact(name, merged, upToSeq, stateVector)),
    storeStateVector: (name, seq, stateVector) => recorded(() => storage.storeStateVector(name, seq, stateVector)),
    probe: () => recorded(() => storage.checkWritable()),
    start: () => Promise.resolve(),
    health: () => outcomes.read(),
    settled: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }
}
