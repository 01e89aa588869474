import * as Y from 'yjs'
import { seedRuleTemplates } from '../../src/crdt/automationDoc'
import { AUTOMATION_DOC } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import type { RelayStorage } from '../storage/relayStorage'

/**
 * Adds the rule templates the stored `automation` document lacks (a new workspace gets them all,
 * switched off; an existing one the templates of this version it has not seen), through src/crdt
 * like any edit, so the change merges with what admins hold offline. A template already there is
 * never touched: an admin's edit, or removal, of it stands. Runs at start, before any
 * connection; returns the ids added.
 */
export function seedAutomationDocument(storage: RelayStorage, templates: readonly Rule[]): string[] {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const update of storage.loadDocument(AUTOMATION_DOC)) Y.applyUpdate(doc, update)
    })
    const before = Y.encodeStateVector(doc)
    const added = seedRuleTemplates(doc, templates, 'seed')
    if (added.length) storage.appendUpdate(AUTOMATION_DOC, Y.encodeStateAsUpdate(doc, before))
    return added
  } finally {
    doc.destroy()
  }
}
