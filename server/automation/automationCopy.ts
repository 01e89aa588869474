import * as Y from 'yjs'
import { readRules, readRuns } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import type { Member } from '../auth/member'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'

/** The relay's own writes of the automation document (rule firings, notifications, the outbox, the API's rule edits) carry this author. */
export const RULES_MEMBER: Member = { id: 'relay:rules', name: 'Automation', role: 'admin', createdAt: '' }

/** The origin of the copy's own writes, told apart from stored updates applied to it. */
const OWN_WRITE = Symbol('relay automation write')

/**
 * The relay's copy of the `automation` document (small: rules, run logs, notifications, the
 * outbox), read from storage at start and kept current by every update stored for it. The
 * relay's writes are made on the copy and stored through SyncServer.writeServerUpdate like a
 * member's edit (layout-checked, durable, then forwarded); one that is not stored leaves the copy
 * ahead of storage, so it is read again.
 */
export class AutomationCopy {
  private current = new Y.Doc()
  private sync: SyncServer | null = null
  private readonly watchers = new Set<() => void>()
  /** The rules as read after the document last changed: the same objects until then (the engine compiles a rule once per object). */
  private rulesRead: Rule[] | null = null

  constructor(private readonly storage: RelayStorage, private readonly logger: RelayLogger) {}

  /** Every rule, soft-deleted and switched-off ones included. */
  rules(): Rule[] {
    return (this.rulesRead ??= readRules(this.current))
  }

  /** A rule's firings in every writer's log added up (round robin's count). */
  firedCount(ruleId: string): number {
    return (readRuns(this.current).get(ruleId) ?? []).reduce((n, log) => n + log.count, 0)
  }

  get doc(): Y.Doc {
    return this.current
  }

  /**
   * Reads the stored document and writes through `sync` from now on: once the sync server has
   * replayed the update log a killed relay left (what it stored last is there only then).
   */
  start(sync: SyncServer): void {
    this.sync = sync
    this.current = this.read()
  }

  /** A stored update of any document (afterStoreUpdate): applied when it is the automation document's. */
  stored(documentName: string, update: Uint8Array): void {
    if (documentName !== AUTOMATION_DOC) return
    Y.applyUpdate(this.current, update, 'stored')
    for (const watcher of this.watchers) watcher()
  }

  /** Calls `listener` after every stored update of the automation document; returns its removal. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener)
    return () => this.watchers.delete(listener)
  }

  /** Makes `change` on the copy (through src/crdt/automationDoc) and stores it; nothing is stored when it changed nothing. */
  async write(change: (doc: Y.Doc) => void): Promise<void> {
    if (!this.sync) throw new Error('the automation copy writes once the sync server is started')
    const updates: Uint8Array[] = []
    const keep = (update: Uint8Array, origin: unknown) => {
      if (origin === OWN_WRITE) updates.push(update)
    }
    this.current.on('update', keep)
    try {
      this.current.transact(() => change(this.current), OWN_WRITE)
    } finally {
      this.current.off('update', keep)
    }
    if (!updates.length) return
    const update = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates)
    try {
      await this.sync.writeServerUpdate(AUTOMATION_DOC, update, RULES_MEMBER, 'relay')
    } catch (error) {
      this.logger.warn(`automation: a write was not stored (${(error as Error).message}); reading the document again`)
      this.current = this.read()
      throw error
    }
  }

  private read(): Y.Doc {
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const update of this.storage.loadDocument(AUTOMATION_DOC)) Y.applyUpdate(doc, update)
    }, 'stored')
    this.rulesRead = null
    doc.on('update', () => { this.rulesRead = null })
    return doc
  }
}
