import { Worker } from 'node:worker_threads'
import { entityDocName } from '../../src/crdt/docNames'
import type { Rule } from '../../src/domain/rules/rule'
import { activitiesEntity, dealsOf } from '../../src/domain/rules/ruleFields'
import { planTimedFiring, type TimedFiring } from '../../src/domain/rules/timedRules'
import type { RulePlan } from '../../src/domain/rules/runRules'
import type { WorkspaceSchema } from '../../src/domain/schema'
import type { EntityStores } from '../api/entityStores'
import { derivedId } from '../api/derivedId'
import { cachedStoredSchema } from '../http/readStoredSchema'
export { DEFAULT_RULES_INTERVAL_MS } from '../config'
import type { RelayHooks } from '../relayHooks'
import { ownedCopies } from '../rooms/messageSlab'
import type { RelayLogger } from '../relayLogger'
import type { RelayStorage } from '../storage/relayStorage'
import { RULES_MEMBER, type AutomationCopy } from './automationCopy'
import { relayRuleContext, type RelayRules } from './relayRules'
import type { TimedRulesReply, TimedRulesRequest } from './timedRulesWorker'

/**
 * Firings planned and written together: one update per document per batch. 25 with a yield
 * between batches: 20k firings of 100 kept the loop's delay at p99 135 ms, max 0.8 s; 25 at p99
 * 48 ms (a batch 2–11 ms after the first write to the document).
 */
const BATCH = 25

const isTimed = (rule: Rule) => rule.enabled && !rule.deletedAt && (rule.trigger.kind === 'dateOffset' || rule.trigger.kind === 'noActivity')

/** What one pass did. */
export interface TimedPassReport {
  /** Firings the worker found due and not kept yet. */
  due: number
  /** Firings written and kept in rule_firings by this pass. */
  fired: number
  /** The worker's time for the pass and the rows it read. */
  workerMs: number
  rows: number
}

export interface TimedRulesPassOptions {
  storage: RelayStorage
  stores: EntityStores
  copy: AutomationCopy
  rules: RelayRules
  logger: RelayLogger
}

/**
 * Time-based rules have no writer, so the relay alone runs them: every `intervalMs` and at start,
 * a worker thread (timedRulesWorker.ts) finds the firings due over its own copies of the entity
 * documents (the event loop only forwards the stored updates of the documents it holds), leaving
 * out those rule_firings keeps. Here each is planned (planTimedFiring, ids derived from the
 * firing's rule, record and trigger key), written through the API copies like any relay write,
 * and only then kept in rule_firings: a relay killed between the write and the key plans the
 * same firing again at the next start and rewrites the same records (their ids exist: nothing is
 * added), never a second activity.
 */
export class TimedRulesPass {
  private worker: Worker | null = null
  private readonly held = new Set<string>()
  private queued = new Map<string, Uint8Array[]>()
  private flushScheduled = false
  private timer: NodeJS.Timeout | null = null
  private running: Promise<TimedPassReport | null> | null = null
  private nextId = 1
  private readonly waiting = new Map<number, (reply: TimedRulesReply) => void>()
  private closed = false

  constructor(private readonly options: TimedRulesPassOptions) {}

  hooks(inner: RelayHooks | undefined): RelayHooks {
    return {
      ...inner,
      afterStoreUpdate: (context) => {
        inner?.afterStoreUpdate?.(context)
        if (!this.held.has(context.documentName)) return
        const list = this.queued.get(context.documentName)
        if (list) list.push(context.update)
        else this.queued.set(context.documentName, [context.update])
        if (!this.flushScheduled) {
          this.flushScheduled = true
          setImmediate(() => this.flush())
        }
      },
    }
  }

  /** A pass now (after the start's replay), then one every `intervalMs`. */
  start(intervalMs: number): void {
    const run = () => {
      this.run().catch((error: unknown) => this.options.logger.warn(`automation: the time-based pass failed: ${(error as Error).stack ?? String(error)}`))
    }
    setImmediate(run)
    this.timer = setInterval(run, intervalMs)
    this.timer.unref()
  }

  /** Runs a pass, or waits for the one running (tests, the bench); null when no time-based rule is on. */
  run(): Promise<TimedPassReport | null> {
    this.running ??= this.pass().finally(() => { this.running = null })
    return this.running
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.running?.catch(() => null)
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private async pass(): Promise<TimedPassReport | null> {
    const { storage, stores, copy, rules: relayRules } = this.options
    const rules = copy.rules()
    const timed = rules.filter(isTimed)
    if (!timed.length || this.closed) return null
    const schema = cachedStoredSchema(storage)
    const activities = activitiesEntity(schema)
    const entities = new Set(timed.map((r) => (r.trigger as { entity: string }).entity))
    if (activities) entities.add(activities.id)
    for (const entityId of entities) this.hold(entityDocName(entityId))
    this.flush()
    const now = new Date()
    const timeZone = schema.workspace?.timeZone ?? 'UTC'
    const reply = await this.ask({ kind: 'pass', id: this.nextId++, rules: timed, schema, now: now.getTime(), timeZone, file: storage.file })
    if (!reply.ok) throw new Error(`the time-based rules thread failed: ${reply.error}`)
    if (!reply.firings.length) return { due: 0, fired: 0, workerMs: reply.ms, rows: reply.rows }
    // the records a plan reads and writes, loaded off the event loop before planning (once: the API keeps its copies)
    await Promise.all([...entities, dealsOf(schema)?.entity.id].filter((id): id is string => id !== undefined).map((id) => stores.load(id)))
    let fired = 0
    for (let from = 0; from < reply.firings.length && !this.closed; from += BATCH) {
      fired += await this.fire(reply.firings.slice(from, from + BATCH), rules, schema, now, relayRules)
      // I/O first between batches: a first pass may have thousands of firings to write
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { due: reply.firings.length, fired, workerMs: reply.ms, rows: reply.rows }
  }

  /** Plans a batch of firings, writes them as one plan, then keeps their keys. */
  private async fire(firings: readonly TimedFiring[], rules: readonly Rule[], schema: WorkspaceSchema, now: Date, relayRules: RelayRules): Promise<number> {
    const { storage, stores, copy } = this.options
    const byId = new Map(rules.map((r) => [r.id, r]))
    const combined: RulePlan = { writes: [], notifications: [], webhooks: [], firings: [] }
    const planned: TimedFiring[] = []
    for (const firing of firings) {
      const rule = byId.get(firing.ruleId)
      if (!rule || storage.ruleFired(firing)) continue
      // the planner's seeds name the firing (rule, record, trigger key): the same ids on every attempt
      const plan = planTimedFiring(rule, firing, relayRuleContext(schema, stores, copy, derivedId, now), rules)
      // its conditions no longer hold, or the record is gone: nothing done, no key kept
      if (!plan.firings.length) continue
      combined.writes.push(...plan.writes)
      combined.notifications.push(...plan.notifications)
      combined.webhooks.push(...plan.webhooks)
      combined.firings.push(...plan.firings)
      planned.push(firing)
    }
    if (!planned.length) return 0
    await relayRules.applyPlan(combined, RULES_MEMBER, 'relay')
    const firedAt = new Date().toISOString()
    for (const firing of planned) storage.recordRuleFiring({ ...firing, firedAt })
    return planned.length
  }

  private hold(name: string): void {
    if (this.held.has(name)) return
    this.held.add(name)
    this.post({ kind: 'hold', name, updates: ownedCopies(this.options.storage.loadDocument(name)) })
  }

  private flush(): void {
    this.flushScheduled = false
    if (!this.queued.size) return
    const queued = this.queued
    this.queued = new Map()
    for (const [name, updates] of queued) this.post({ kind: 'apply', name, updates: ownedCopies(updates) })
  }

  private ask(request: Extract<TimedRulesRequest, { kind: 'pass' }>): Promise<TimedRulesReply> {
    return new Promise((resolve) => {
      this.waiting.set(request.id, resolve)
      this.post(request)
    })
  }

  private post(request: TimedRulesRequest): void {
    (this.worker ??= this.spawn()).postMessage(request)
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('../workerEntry.mjs', import.meta.url), { workerData: { module: './automation/timedRulesWorker.ts' } })
    worker.unref()
    worker.on('message', (reply: TimedRulesReply) => {
      const resolve = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      resolve?.(reply)
    })
    const fail = (error: string) => {
      if (this.worker === worker) this.worker = null
      // its copies are gone: the next pass loads them again
      this.held.clear()
      for (const [id, resolve] of this.waiting) resolve({ id, ok: false, error })
      this.waiting.clear()
    }
    worker.on('error', (error) => {
      this.options.logger.error(`automation: the time-based rules thread failed: ${error.stack ?? error.message}`)
      fail(error.message)
    })
    worker.on('exit', (code) => fail(`the thread exited with code ${code}`))
    return worker
  }
}
