import { randomId } from '../crdt/randomId'

let seq = 0

/**
 * Key of an edit waiting in IndexedDB (`kanso:meta` / `intents`) for its document to load:
 * `<entity>:<time>:<sequence>:<random>`, so keys sort in the order the edits were made on this
 * device and never collide between the page and the worker or between tabs.
 */
export function intentKey(entityId: string): string {
  return `${entityId}:${Date.now().toString(36).padStart(10, '0')}:${(seq++).toString(36).padStart(6, '0')}:${randomId(6)}`
}
