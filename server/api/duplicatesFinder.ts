import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { entityDocName } from '../../src/crdt/docNames'
import { findDuplicates } from '../../src/domain/duplicates/findDuplicates'
import { packDuplicateGroups, type PackedDuplicateGroups } from '../../src/domain/duplicates/packedDuplicateGroups'
import type { EntityDef } from '../../src/domain/schema'
import type { RelayLogger } from '../relayLogger'
import { ownedCopies } from '../rooms/messageSlab'
import type { RelayStorage } from '../storage/relayStorage'
import type { DuplicatesReply, DuplicatesRequest } from './duplicatesWorker'
import type { EntityStore } from './entityStores'

/**
 * Lists with fewer live records are searched on the event loop: findDuplicates takes ~5–10 µs a
 * record (B29), so up to ~20 ms here, less than a first search in the duplicates process (its copy is read
 * and decoded there first).
 */
export const DUPLICATES_INLINE_ROWS = 2000

/**
 * A copy the process kept for this long without a search is let go, and with the last one the
 * process ends. The copy of 100k contacts holds ~110–260 MB; loading it again costs a few seconds
 * of the process's low-priority CPU and that much on the next first answer, never the relay's
 * loop. A member working through duplicates asks again after each merge (each drops the answer),
 * seconds to a minute apart: two minutes covers those pauses, where ten kept the memory long
 * after the work was done. Ending the process gives all of it back to the system at once (a
 * thread's freed heap stayed in the relay's RSS until V8 chose to shrink it).
 */
export const DUPLICATES_KEEP_MS = 2 * 60_000

export interface DuplicatesFinderOptions {
  storage: RelayStorage
  logger: RelayLogger
  /** Default DUPLICATES_INLINE_ROWS; 0: every list in the duplicates process (tests). */
  inlineBelowRows?: number
  /** Default DUPLICATES_KEEP_MS. */
  keepMs?: number
}

/** Finds the duplicates of a list (GET /api/v1/{entity}/duplicates) without holding the relay's event loop. */
export interface DuplicatesFinder {
  /**
   * The groups of the entity's live records as stored now (findDuplicates, packed): over the
   * API's copy on this thread for a small list, else in the duplicates process over its own copy
   * of the document.
   */
  find(entity: EntityDef, entry: EntityStore): Promise<PackedDuplicateGroups>
  /** A stored update of any document (afterStoreUpdate): passed on to the process's copy, if it keeps one. */
  stored(documentName: string, update: Uint8Array): void
  /** Resolves once storage itself has every update stored so far (the process reads it there); set when the sync server exists. */
  start(settled: () => Promise<void>): void
  close(): Promise<void>
}

interface Held {
  /** Resolves once the hold is posted: the process's copy then takes every later update in order. */
  posted: Promise<void>
  isPosted: boolean
  release: NodeJS.Timeout | null
}

/**
 * Big lists are searched in one child process (duplicatesWorker.ts), started on first use and
 * ended once it keeps no copy. It keeps a copy of each document searched, read from the SQLite
 * file itself once storage has every update stored so far, then sent each later stored update
 * (small bytes, batched per turn of the event loop), and answers a search with the groups only,
 * packed (PackedDuplicateGroups): neither the document nor its rows cross between the processes
 * (a structured clone of 100k rows would stall the loop itself).
 *
 * A process, not a worker thread: loading the copy of 100k contacts builds a heap of ~500 MB,
 * and V8 collects a thread's heap on the platform threads every isolate of the process shares,
 * at normal priority — a thread lowered to nice 10 still had ~1.2 s of its garbage collection
 * run beside the relay's loop on both cores, which held the loop 150–430 ms at the first search
 * on a busy machine. A child process lowers every thread it has (lowerProcessPriority).
 */
export function createDuplicatesFinder(options: DuplicatesFinderOptions): DuplicatesFinder {
  const { storage, logger } = options
  const inlineBelowRows = options.inlineBelowRows ?? DUPLICATES_INLINE_ROWS
  const keepMs = options.keepMs ?? DUPLICATES_KEEP_MS
  let settled: () => Promise<void> = () => Promise.resolve()
  let worker: ChildProcess | null = null
  let nextId = 1
  const waiting = new Map<number, { resolve: (groups: PackedDuplicateGroups) => void; reject: (error: Error) => void }>()
  const held = new Map<string, Held>()
  /** Per held document, updates stored since the last flush (or since the hold began). */
  let queued = new Map<string, Uint8Array[]>()
  let flushScheduled = false
  let closed = false

  const post = (request: DuplicatesRequest) => {
    (worker ??= spawn()).send(request)
  }

  const spawn = (): ChildProcess => {
    // none of the relay's node flags (an inspector port, a CPU profile): the entry registers tsx itself
    const w = fork(fileURLToPath(new URL('../workerEntry.mjs', import.meta.url)), ['./api/duplicatesWorker.ts'], {
      execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    w.unref()
    w.channel?.unref()
    w.on('message', (reply: DuplicatesReply) => {
      if ('log' in reply) {
        logger.info(reply.log)
        return
      }
      const p = waiting.get(reply.id)
      waiting.delete(reply.id)
      if (!p) return
      if (reply.ok) p.resolve(reply.groups)
      else p.reject(new Error(`finding duplicates failed in its process: ${reply.error}`))
      endIfIdle()
    })
    const fail = (error: Error) => {
      // a process let go (endIfIdle) held nothing and was asked nothing
      if (worker !== w) return
      worker = null
      // its copies are gone: the next search holds them again
      for (const [name, h] of held) drop(name, h)
      for (const p of waiting.values()) p.reject(error)
      waiting.clear()
    }
    w.on('error', (error) => {
      logger.error(`the duplicates process failed: ${error.stack ?? error.message}`)
      fail(error)
    })
    w.on('exit', (code, signal) => fail(new Error(`the duplicates process exited with ${signal ?? `code ${code}`}`)))
    return w
  }

  /** Without a copy to keep or an answer to wait for, the process ends (it exits when disconnected): all its memory goes back to the system. */
  const endIfIdle = () => {
    if (!worker || held.size > 0 || waiting.size > 0) return
    const w = worker
    worker = null
    w.disconnect()
  }

  const flush = () => {
    flushScheduled = false
    const due = queued
    queued = new Map()
    for (const [name, updates] of due) {
      const copy = held.get(name)
      if (!copy) continue
      // a hold not posted yet keeps its updates until it is: they follow the rows it reads
      if (!copy.isPosted) queued.set(name, updates)
      else post({ kind: 'apply', name, updates: ownedCopies(updates) })
    }
  }

  const hold = (name: string): Held => {
    const entry: Held = { posted: Promise.resolve(), isPosted: false, release: null }
    // from now on stored updates are kept for it: whatever storage lacks when the process reads it comes this way
    held.set(name, entry)
    const file = storage.file
    // storage without a file is memory: read here, at once, and the queue takes what follows
    const updates = file ? [] : storage.loadDocument(name)
    entry.posted = (file ? settled() : Promise.resolve()).then(() => {
      if (held.get(name) !== entry || closed) return
      post({ kind: 'hold', name, file, updates })
      entry.isPosted = true
      flush()
    }, (error: unknown) => {
      if (held.get(name) === entry) drop(name, entry)
      throw error
    })
    return entry
  }

  const drop = (name: string, entry: Held) => {
    if (entry.release) clearTimeout(entry.release)
    held.delete(name)
    queued.delete(name)
  }

  const keep = (name: string, entry: Held) => {
    if (entry.release) clearTimeout(entry.release)
    entry.release = setTimeout(() => {
      if (held.get(name) !== entry) return
      drop(name, entry)
      worker?.send({ kind: 'release', name } satisfies DuplicatesRequest)
      endIfIdle()
    }, keepMs)
    entry.release.unref()
  }

  const find = async (entity: EntityDef, entry: EntityStore): Promise<PackedDuplicateGroups> => {
    if (closed) throw new Error('the duplicates finder is closed')
    if (entry.store.count() < inlineBelowRows) return packDuplicateGroups(findDuplicates(entity, entry.store.rows()))
    const name = entityDocName(entity.id)
    const copy = held.get(name) ?? hold(name)
    // in use: let go only once unused for keepMs after the answer (reading a copy may take longer)
    if (copy.release) clearTimeout(copy.release)
    copy.release = null
    await copy.posted
    // a process that failed meanwhile lost the copy (or the finder closed): hold it again in a new one
    if (held.get(name) !== copy) return find(entity, entry)
    // the updates stored so far go first: the search sees everything stored before it was asked
    flush()
    const id = nextId++
    const groups = new Promise<PackedDuplicateGroups>((resolve, reject) => waiting.set(id, { resolve, reject }))
    post({ kind: 'find', id, name, entity })
    const kept = () => { if (held.get(name) === copy) keep(name, copy) }
    groups.then(kept, kept)
    return groups
  }

  return {
    find,
    stored(documentName, update) {
      if (!held.has(documentName)) return
      const list = queued.get(documentName)
      if (list) list.push(update)
      else queued.set(documentName, [update])
      if (!flushScheduled) {
        flushScheduled = true
        setImmediate(flush)
      }
    },
    start(settle) {
      settled = settle
    },
    async close() {
      closed = true
      for (const [name, h] of held) drop(name, h)
      const w = worker
      worker = null
      for (const p of waiting.values()) p.reject(new Error('the duplicates finder closed before the search ended'))
      waiting.clear()
      if (w && w.exitCode === null && w.signalCode === null) {
        const exited = new Promise((resolve) => w.once('exit', resolve))
        w.kill()
        await exited
      }
    },
  }
}
