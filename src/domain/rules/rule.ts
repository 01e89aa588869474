import type { FieldValue, Row } from '../schema'

/*
 * No-code automation (issue 16): a rule is "when <trigger>, if <conditions>, then <actions>".
 * Rules are plain data stored in the `automation` document (src/crdt/automationDoc.ts), one
 * Y.Map per rule so two admins changing different parts of a rule both win. Entities and fields
 * are named by id here (as records store them); the REST API shows keys.
 *
 * Exactly once (docs/ARCHITECTURE.md "Automation"): change-triggered rules run in the writer of
 * the change — the member's app, online or offline, or the relay for the API, web forms and
 * calls — and their writes travel in the same local transaction as the change. Receivers never
 * run rules on changes they receive. Time-based rules run only on the relay, keyed in SQLite by
 * (rule, record, trigger key), writing records whose ids derive from that key.
 */

export type DurationUnit = 'minutes' | 'hours' | 'days'
export interface RuleDuration { amount: number; unit: DurationUnit }

/** Who an activity or a record's ownership goes to. */
export type Assignee =
  | { kind: 'owner' }
  | { kind: 'member'; member: string }
  /** Among these member ids in turn (by the rule's firing count; see chooseRoundRobin). */
  | { kind: 'roundRobin'; members: string[] }

export type RuleTrigger =
  | { kind: 'created'; entity: string }
  /** `to` absent: any change of the field; present: a change that makes the field equal `to`. */
  | { kind: 'fieldChanged'; entity: string; field: string; to?: FieldValue }
  /** A deal's stage becomes `stage` (a stage id of the schema's pipelines); `pipeline` narrows it. */
  | { kind: 'stageEntered'; stage: string; pipeline?: string }
  /** An activity's `done` becomes true; `activityType` narrows it (call, meeting, …). */
  | { kind: 'activityCompleted'; activityType?: string }
  /** Time-based (relay only): the date field is `days` days away from today (negative: before, positive: after). */
  | { kind: 'dateOffset'; entity: string; field: string; days: number }
  /** Time-based (relay only): no activity related to the record was created or completed for `days` days. */
  | { kind: 'noActivity'; entity: string; days: number }

export type ConditionOp = 'equals' | 'notEquals' | 'contains' | 'greaterThan' | 'lessThan' | 'empty' | 'notEmpty' | 'inList' | 'ownerIs'

/** A test on the triggering record's field (`ownerIs` reads the record's owner field; `value` a member id or 'me' is not allowed: rules have no "me"). */
export interface RuleCondition { field: string; op: ConditionOp; value?: FieldValue }

export type RuleAction =
  /** An activity related to the triggering record (and, for an activity trigger, to what that activity relates to). */
  | { kind: 'createActivity'; activityType: string; subject: string; assignee: Assignee; dueIn: RuleDuration }
  | { kind: 'setField'; field: string; value: FieldValue }
  | { kind: 'assignOwner'; assignee: Assignee }
  /** A deal's stage (for an activity trigger: the deal the activity relates to). */
  | { kind: 'moveStage'; stage: string }
  | { kind: 'notify'; member: string | 'owner'; message: string }
  /** POSTed once by the relay with the record (server/webhooks delivery: signed, retried). */
  | { kind: 'webhook'; url: string }

export interface Rule {
  /** Stable id: `call-new-leads` for the template, random for rules made in the app or API. */
  id: string
  name: string
  enabled: boolean
  trigger: RuleTrigger
  conditions: RuleCondition[]
  actions: RuleAction[]
  /** ISO times; `createdBy` a member id. */
  createdAt: string
  createdBy: string
  updatedAt?: string
  /** Soft-deleted (DELETE /api/v1/rules/{id}): kept so a client offline meanwhile does not bring it back. */
  deletedAt?: string
}

/** Rules trigger each other at most this deep; the next level is refused with a message in the rule's log. */
export const MAX_RULE_DEPTH = 3

/** The change a writer made to one record, which change-triggered rules look at. */
export interface RecordChange {
  entity: string
  recordId: string
  /** null: the record was created by this change. */
  before: Row | null
  after: Row
}

/** One firing of a rule, as the writer records it in the rule's log. */
export interface RuleFiring {
  ruleId: string
  at: string
  entity: string
  recordId: string
  /** Set when the rule could not do (all of) its actions, e.g. a value its field refuses or the depth limit. */
  error?: string
}

/**
 * A rule's log as one writer keeps it (automation document, `runs[<rule id>|<writer>]`): each
 * writer (a member's browser, or the relay) counts its own firings, so no increment is lost when
 * two writers fire apart; readers add the writers up (summarizeRuns).
 */
export interface RuleRunLog {
  count: number
  lastAt: string | null
  lastRecord: { entity: string; recordId: string } | null
  /** Newest first, at most 5. */
  errors: { at: string; message: string; recordId?: string }[]
}
