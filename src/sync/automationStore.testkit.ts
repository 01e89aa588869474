import * as Y from 'yjs'
import type { RuleNotification } from '../domain/rules/runRules'
import { addNotifications } from '../crdt/automationDoc'
import { makeAutomationStore, type AutomationStore } from './automationStore'

/** An automation document held as the page's SyncedDoc would, for UI tests that must not import yjs themselves. */
export interface AutomationTestDoc {
  /** The store a member's page makes over it (writer `<member>.dev`). */
  storeFor(memberId: string): AutomationStore
  /** Notifications written as another writer would (the relay, a teammate's app). */
  addNotifications(notes: RuleNotification[]): void
  /** A notification entry as stored (`<member>|<id>`). */
  storedNotification(key: string): unknown
}

export function makeAutomationTestDoc(): AutomationTestDoc {
  const doc = new Y.Doc()
  return {
    storeFor: (memberId) => makeAutomationStore(doc, memberId, `${memberId}.dev`),
    addNotifications: (notes) => addNotifications(doc, notes),
    storedNotification: (key) => doc.getMap('notifications').get(key),
  }
}
