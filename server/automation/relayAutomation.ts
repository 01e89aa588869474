import type { Rule } from '../../src/domain/rules/rule'
import type { EntityStores } from '../api/entityStores'
import type { RelayHooks } from '../relayHooks'
import type { RelayLogger } from '../relayLogger'
import type { SyncServer } from '../rooms/syncServer'
import type { RelayStorage } from '../storage/relayStorage'
import { AutomationCopy } from './automationCopy'
import { makeRelayRules, type RelayRules } from './relayRules'
import { DEFAULT_RULES_INTERVAL_MS, TimedRulesPass } from './timedRulesPass'
import { makeRuleOutbox, type RuleOutbox } from './ruleOutbox'
import type { Webhooks } from '../webhooks/webhooks'
import { seedAutomationDocument } from './seedAutomationDocument'

/** Automation on the relay (issue 16): the automation document's copy, and what the relay does with it. */
export interface RelayAutomation {
  readonly copy: AutomationCopy
  /** Change-triggered rules for the relay's own writes (API, forms, calls, conversion). */
  readonly rules: RelayRules
  /** Time-based rules: a pass at start and every KANSO_RULES_INTERVAL_MS. */
  readonly timed: TimedRulesPass
  /** Posts the outbox's webhook calls once each (server/webhooks). */
  readonly outbox: RuleOutbox
  /** The relay's hooks with the copy kept current by every stored update. */
  hooks(inner: RelayHooks | undefined): RelayHooks
  start(sync: SyncServer): void
  /** Starts the time-based pass and the outbox's delivery (after the sync server replayed its update log and the webhooks started). */
  startTimed(): void
  close(): Promise<void>
}

export interface RelayAutomationOptions {
  storage: RelayStorage
  stores: EntityStores
  logger: RelayLogger
  /** Rules added, switched off, to a workspace that lacks them (RULE_TEMPLATES). */
  templates: readonly Rule[]
  /** The outgoing webhooks the outbox's calls are delivered through. */
  webhooks: Webhooks
  /** KANSO_RULES_INTERVAL_MS (default 60000); null: no time-based pass runs by itself (tests call timed.run()). */
  intervalMs?: number | null
}

export function makeRelayAutomation(options: RelayAutomationOptions): RelayAutomation {
  const { storage, logger } = options
  const copy = new AutomationCopy(storage, logger)
  let sync: SyncServer | null = null
  const rules = makeRelayRules(storage, options.stores, copy, () => {
    if (!sync) throw new Error('automation: the relay writes once the sync server is started')
    return sync
  }, logger)
  const timed = new TimedRulesPass({ storage, stores: options.stores, copy, rules, logger })
  const outbox = makeRuleOutbox(storage, options.stores, copy, options.webhooks, logger)
  return {
    copy,
    rules,
    timed,
    outbox,
    hooks: (inner) => {
      const outer = timed.hooks(inner)
      return {
        ...outer,
        afterStoreUpdate(context) {
          copy.stored(context.documentName, context.update)
          outer.afterStoreUpdate?.(context)
        },
      }
    },
    start(s) {
      sync = s
      // after the sync server replayed the update log, before any connection: seeds the templates, then reads the document
      const added = seedAutomationDocument(storage, options.templates)
      if (added.length) logger.info(`automation: added the rule templates ${added.join(', ')} (switched off)`)
      copy.start(s)
    },
    startTimed() {
      const intervalMs = options.intervalMs === undefined ? DEFAULT_RULES_INTERVAL_MS : options.intervalMs
      if (intervalMs !== null) timed.start(intervalMs)
      outbox.start()
    },
    async close() {
      outbox.close()
      await outbox.idle()
      await timed.close()
    },
  }
}
