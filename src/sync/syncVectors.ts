import * as Y from 'yjs'
import type { KeyValueStore } from './keyValueStore'

/*
 * What a synced document remembers in the meta store between reloads: the relay's last state
 * vector (`server:<name>`) and the Yjs client ids this browser wrote with (`clients:<name>`), so
 * an offline tab still counts its unconfirmed changes honestly.
 */

export interface SyncVectorsSource {
  name: string
  meta: KeyValueStore
}

export interface SyncVectors {
  serverVector: Map<number, number> | null
  ownClients: Set<number>
}

/** Loads both vectors and adds `clientId` to the remembered client ids. */
export async function loadVectors(o: SyncVectorsSource, clientId: number): Promise<SyncVectors> {
  const [vector, clients] = await Promise.all([
    o.meta.get<Uint8Array>('vectors', `server:${o.name}`),
    o.meta.get<number[]>('vectors', `clients:${o.name}`),
  ])
  const ownClients = new Set(clients ?? [])
  ownClients.add(clientId)
  // the newest 200 are plenty: older sessions' changes have long reached the relay
  await o.meta.set('vectors', `clients:${o.name}`, [...ownClients].slice(-200))
  return { serverVector: vector ? Y.decodeStateVector(vector) : null, ownClients }
}

/** Keeps the relay's state vector (an encoded sync step 1 payload) for the next session. */
export function rememberServerVector(o: SyncVectorsSource, vector: Uint8Array): void {
  void o.meta.set('vectors', `server:${o.name}`, vector).catch((err: unknown) => console.warn('kanso: could not remember the relay state vector', err))
}

/** The entries of a state vector written by this browser's client ids. */
export function ownVector(vector: Map<number, number>, own: Set<number>): Map<number, number> {
  return new Map([...vector].filter(([client]) => own.has(client)))
}
