import { outboxOf, readOutbox, removeFromOutbox, type AutomationWebhook } from '../../src/crdt/automationDoc'
import { encodeApiRecord } from '../../src/domain/api/apiRecordCodec'
import type { Rule } from '../../src/domain/rules/rule'
import type { EntityStores } from '../api/entityStores'
import { makeSerialChecks } from '../deals/serialChecks'
import { cachedStoredSchema } from '../http/readStoredSchema'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { RULE_WEBHOOK_EVENT } from '../webhooks/webhookQueue'
import type { Webhooks } from '../webhooks/webhooks'
import type { AutomationCopy } from './automationCopy'

export interface RuleOutbox {
  /** Looks at the outbox now (at start) and after every stored update of the automation document. */
  start(): void
  /** Resolves once no check is pending or running (tests, shutdown). */
  idle(): Promise<void>
  close(): void
}

/** Whether the rule (live, switched on) has a webhook action to this URL: any member may write the outbox, only rules say where the relay posts. */
function calledBy(rule: Rule | undefined, url: string): boolean {
  return rule !== undefined && !rule.deletedAt && rule.actions.some((a) => a.kind === 'webhook' && a.url === url)
}

/**
 * Delivers the automation document's `outbox`: whoever ran a rule with a "call a webhook" action
 * (a member's app, or the relay) put the call there; the relay queues each once in its webhook
 * queue (server/webhooks: signed, retried; keyed `rule_<outbox id>` in SQLite, so a restart or a
 * second look never queues it twice), then deletes the key. An entry whose rule has no webhook
 * action to that URL is deleted unsent: a member's client writes the outbox, not where the relay
 * posts to.
 */
export function makeRuleOutbox(storage: RelayStorage, stores: EntityStores, copy: AutomationCopy, webhooks: Webhooks, logger: RelayLogger): RuleOutbox {
  let stopWatching: (() => void) | null = null
  const body = async (hook: AutomationWebhook, rule: Rule): Promise<string> => {
    const schema = cachedStoredSchema(storage)
    const entity = schema.entities.find((e) => e.id === hook.entity)
    const entry = entity ? await stores.load(entity.id) : null
    const row = entry?.store.row(hook.recordId)
    return JSON.stringify({
      id: hook.id,
      event: RULE_WEBHOOK_EVENT,
      occurred_at: hook.at,
      rule: { id: rule.id, name: rule.name },
      entity: entity?.key ?? hook.entity,
      record: entity && entry && row && row.createdAt ? encodeApiRecord(entity, row, entry.updatedAt(row)) : null,
    })
  }
  const check = async () => {
    const hooks = readOutbox(copy.doc)
    if (!hooks.length) return
    const rules = new Map(copy.rules().map((r) => [r.id, r]))
    const done: string[] = []
    for (const hook of hooks) {
      const rule = rules.get(hook.ruleId)
      if (rule && calledBy(rule, hook.url)) {
        webhooks.queueRuleWebhook({ outboxId: hook.id, url: hook.url, body: await body(hook, rule), createdAt: Date.parse(hook.at) || Date.now() })
      } else {
        logger.warn(`automation: outbox entry ${hook.id} names no webhook action of rule "${hook.ruleId}" to that URL; dropped unsent`)
      }
      done.push(hook.id)
    }
    // queued (durably) before the keys go: a stop in between leaves keys whose deliveries exist, dropped at the next look
    await copy.write((doc) => removeFromOutbox(doc, done))
  }
  const checks = makeSerialChecks<'changed'>(check, (error) => logger.warn(`automation: delivering the outbox failed: ${error.message}`))
  return {
    start() {
      stopWatching = copy.watch(() => {
        if (outboxOf(copy.doc).size > 0) checks.request('changed')
      })
      checks.request('changed')
    },
    idle: checks.idle,
    close() {
      stopWatching?.()
    },
  }
}
