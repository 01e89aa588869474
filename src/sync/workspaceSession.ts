import type { WorkspaceSchema } from '../domain/schema'
import { entityDocName, SCHEMA_DOC } from '../crdt/docNames'
import { makeEntityStore, type EntityStore } from '../crdt/entityStore'
import { makeSchemaStore, type SchemaStore } from '../crdt/schemaStore'
import { makePresence, type Presence } from './presence'
import { SyncedDoc, type DocSyncStatus } from './syncedDoc'

export type Role = 'admin' | 'editor' | 'viewer'
export interface Member { id: string; name: string; role: Role }

export interface WorkspaceStatus {
  state: 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused'
  pending: number
  closeCode?: number
}

export interface WorkspaceSession {
  readonly member: Member
  readonly schema: SchemaStore
  readonly presence: Presence
  /** Resolves once a non-empty schema is available (from IndexedDB or the relay). */
  whenSchema(): Promise<WorkspaceSchema>
  entity(entityId: string): Promise<EntityStore>
  status(): WorkspaceStatus
  onStatus(listener: (s: WorkspaceStatus) => void): () => void
  setOnline(online: boolean): void
  destroy(): void
}

export interface WorkspaceSessionOptions {
  member: Member
  token: string
  /** ws(s)://host/sync */
  syncUrl: string
  storePrefix?: string
}

/** Opens the workspace's documents: each stored in IndexedDB and synced with the relay. */
export function openWorkspaceSession(opts: WorkspaceSessionOptions): WorkspaceSession {
  const storePrefix = opts.storePrefix ?? 'kanso:'
  const docs = new Map<string, SyncedDoc>()
  const statusListeners = new Set<(s: WorkspaceStatus) => void>()
  let online = typeof navigator === 'undefined' || navigator.onLine !== false

  const open = (name: string): SyncedDoc => {
    let d = docs.get(name)
    if (!d) {
      d = new SyncedDoc({ name, syncUrl: opts.syncUrl, token: opts.token, storePrefix })
      if (!online) d.goOffline()
      d.onStatus(() => emitStatus())
      docs.set(name, d)
    }
    return d
  }
  const aggregate = (): WorkspaceStatus => {
    const all: DocSyncStatus[] = [...docs.values()].map((d) => d.getStatus())
    const pending = all.reduce((n, s) => n + s.pending, 0)
    const refused = all.find((s) => s.state === 'refused')
    if (refused) return { state: 'refused', pending, closeCode: refused.closeCode }
    if (!online || all.some((s) => s.state === 'offline')) return { state: 'offline', pending }
    if (all.some((s) => s.state === 'connecting')) return { state: 'connecting', pending }
    if (all.some((s) => s.state === 'syncing') || pending > 0) return { state: 'syncing', pending }
    return { state: 'synced', pending: 0 }
  }
  let last: WorkspaceStatus = { state: 'connecting', pending: 0 }
  const emitStatus = () => {
    const next = aggregate()
    if (next.state === last.state && next.pending === last.pending && next.closeCode === last.closeCode) return
    last = next
    statusListeners.forEach((l) => l(next))
  }

  const schemaDoc = open(SCHEMA_DOC)
  const schema = makeSchemaStore(schemaDoc.doc)
  const presence = makePresence(schemaDoc.provider.awareness, opts.member)
  const stores = new Map<string, Promise<EntityStore>>()

  return {
    member: opts.member,
    schema,
    presence,
    whenSchema() {
      return new Promise((resolve) => {
        let done = false
        const check = () => {
          const s = schema.read()
          if (done || !s.entities.length) return
          done = true
          stop()
          resolve(s)
        }
        const stop = schema.subscribe(() => { check() })
        void schemaDoc.whenLocal.then(check)
        check()
      })
    },
    entity(entityId) {
      let p = stores.get(entityId)
      if (!p) {
        const d = open(entityDocName(entityId))
        p = d.whenLocal.then(() => makeEntityStore(d.doc, entityId, opts.member.id))
        stores.set(entityId, p)
      }
      return p
    },
    status: () => aggregate(),
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    setOnline(next) {
      online = next
      for (const d of docs.values()) {
        if (next) d.goOnline()
        else d.goOffline()
      }
      emitStatus()
    },
    destroy() {
      for (const d of docs.values()) d.destroy()
      docs.clear()
    },
  }
}
