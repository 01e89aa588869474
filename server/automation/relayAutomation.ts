import type { Rule } from '../../src/domain/rules/rule'
import type { EntityStores } from '../api/entityStores'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { AutomationCopy } from './automationCopy'
import { makeRelayRules, type RelayRules } from './relayRules'
import { seedAutomationDocument } from './seedAutomationDocument'

/** Automation on the relay (issue 16): the automation document's copy, and what the relay does with it. */
export interface RelayAutomation {
  readonly copy: AutomationCopy
  /** Change-triggered rules for the relay's own writes (API, forms, calls, conversion). */
  readonly rules: RelayRules
  /** The relay's hooks with the copy kept current by every stored update. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  start(sync: SyncServer): void
  close(): Promise<void>
}

export interface RelayAutomationOptions {
  storage: RelayStorage
  stores: EntityStores
  logger: RelayLogger
  /** Rules added, switched off, to a workspace that lacks them (RULE_TEMPLATES). */
  templates: readonly Rule[]
}

/** Seeds the templates into the stored document (before any connection), then reads it. */
export function makeRelayAutomation(options: RelayAutomationOptions): RelayAutomation {
  const { storage, logger } = options
  const added = seedAutomationDocument(storage, options.templates)
  if (added.length) logger.info(`automation: added the rule templates ${added.join(', ')} (switched off)`)
  const copy = new AutomationCopy(storage, logger)
  let sync: SyncServer | null = null
  const rules = makeRelayRules(storage, options.stores, copy, () => {
    if (!sync) throw new Error('automation: the relay writes once the sync server is started')
    return sync
  })
  return {
    copy,
    rules,
    hooks: (inner) => ({
      ...inner,
      afterStoreUpdate(context) {
        copy.stored(context.documentName, context.update)
        inner?.afterStoreUpdate?.(context)
      },
    }),
    start(s) {
      sync = s
      copy.start(s)
    },
    async close() {},
  }
}
