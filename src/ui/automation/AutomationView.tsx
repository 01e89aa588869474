import { For, Show, createSignal } from 'solid-js'
import { describeRule } from '../../domain/rules/describeRule'
import type { Rule, RuleRunLog } from '../../domain/rules/rule'
import { RULE_TEMPLATES } from '../../domain/rules/ruleTemplates'
import type { WorkspaceSchema } from '../../domain/schema'
import { ConfirmDialog } from '../ConfirmDialog'
import type { MemberInfo } from '../session/relayApi'
import { memberNameOf } from '../session/memberDirectory'
import type { Automation } from './createAutomation'
import { RuleEditor } from './RuleEditor'
import { newRuleDraft } from './ruleDrafts'
import './automation.css'

/**
 * Settings → Automation: the workspace's rules as sentences, each with its switch, when it last
 * fired, how often and its recent errors (every writer's log added up); the ready templates,
 * switched on in one click; a new rule or an edit as a sentence with pickers (RuleEditor).
 * Admins change them; other members read them. Every change is an edit of the automation
 * document, so it reaches every member's app (and the relay) live.
 */
export function AutomationView(props: { automation: Automation; schema: WorkspaceSchema | null; members: MemberInfo[]; memberId: string; admin: boolean; locale: string }) {
  const [editing, setEditing] = createSignal<{ rule: Rule; isNew: boolean } | null>(null)
  const [deleting, setDeleting] = createSignal<Rule | null>(null)
  const store = () => props.automation.store
  const memberName = (id: string) => memberNameOf(props.members, id) ?? id
  const sentence = (rule: Rule) => (props.schema ? describeRule(rule, props.schema, memberName) : null)
  const live = (id: string) => props.automation.rules().find((r) => r.id === id)

  const save = (rule: Rule) => {
    store().writeRule(rule)
    setEditing(null)
  }
  const switchOnTemplate = (template: Rule) => {
    const stored = live(template.id)
    if (stored) store().setRuleEnabled(template.id, true)
    // not stored here yet (the relay seeds them), or deleted once: written anew, switched on
    else store().writeRule({ ...template, enabled: true, createdAt: new Date().toISOString(), createdBy: props.memberId, deletedAt: undefined })
  }

  return (
    <section class="kanso-automation" aria-label="Automation" data-testid="automation">
      <div class="kanso-automation-head">
        <p>Rules act when a record changes — in anyone’s app, online or offline, or through the API, a web form or a call — and fire once per change.
          Date rules and “no activity” rules run on the relay.</p>
        <Show when={props.admin && props.schema && !editing()}>
          <button type="button" class="kanso-primary" onClick={() => setEditing({ rule: newRuleDraft(props.schema!, props.memberId, new Date()), isNew: true })}>New rule</button>
        </Show>
      </div>
      <Show when={!props.admin}>
        <p class="kanso-hint">Only admins change rules; you see what they do.</p>
      </Show>

      <Show when={editing()?.isNew && props.schema ? editing() : null} keyed>
        {(e) => <RuleEditor schema={props.schema!} members={props.members} rule={e.rule} isNew locale={props.locale} onSave={save} onCancel={() => setEditing(null)} />}
      </Show>

      <h2>Rules</h2>
      <Show when={props.automation.rules().length} fallback={<p class="kanso-hint">No rules yet. Switch on a template below, or make a new rule.</p>}>
        <ul class="kanso-rules">
          <For each={props.automation.rules()}>
            {(rule) => (
              <Show when={editing()?.rule.id === rule.id && !editing()?.isNew && props.schema} fallback={
                <RuleItem rule={rule} sentence={sentence(rule)} log={props.automation.runs().get(rule.id)} admin={props.admin} locale={props.locale}
                  onSwitch={(on) => store().setRuleEnabled(rule.id, on)}
                  onEdit={() => setEditing({ rule, isNew: false })} onDelete={() => setDeleting(rule)} />
              }>
                <li><RuleEditor schema={props.schema!} members={props.members} rule={rule} isNew={false} locale={props.locale} onSave={save} onCancel={() => setEditing(null)} /></li>
              </Show>
            )}
          </For>
        </ul>
      </Show>

      <Show when={props.admin}>
        <h2>Templates</h2>
        <ul class="kanso-templates" data-testid="rule-templates">
          <For each={RULE_TEMPLATES}>
            {(template) => {
              const on = () => live(template.id)?.enabled === true
              const text = () => sentence(template)
              return (
                <li class="kanso-template" data-testid={`template-${template.id}`}>
                  <strong>{template.name}</strong>
                  <Show when={text()}>{(t) => <p>{sentenceText(t())}</p>}</Show>
                  <Show when={on()} fallback={<button type="button" onClick={() => switchOnTemplate(template)}>Switch on</button>}>
                    <span class="kanso-hint">On — listed under Rules.</span>
                  </Show>
                </li>
              )
            }}
          </For>
        </ul>
      </Show>

      <Show when={deleting()} keyed>
        {(rule) => (
          <ConfirmDialog title={`Delete the rule “${rule.name || 'Untitled'}”?`}
            message="It stops acting at once, for everyone. Its log goes with it. Records it made or changed stay as they are."
            confirmLabel="Delete rule" onConfirm={() => store().deleteRule(rule.id)} onClose={() => setDeleting(null)} />
        )}
      </Show>
    </section>
  )
}

type Sentence = ReturnType<typeof describeRule>

function sentenceText(s: Sentence): string {
  const when = s.if ? `${s.when}, if ${stripWord(s.if, 'if')}` : s.when
  return `${when} → ${s.then.map((t) => stripWord(t, 'then')).join('; ')}`
}

function RuleItem(props: {
  rule: Rule; sentence: Sentence | null; log: RuleRunLog | undefined; admin: boolean; locale: string
  onSwitch: (on: boolean) => void; onEdit: () => void; onDelete: () => void
}) {
  const when = (at: string) => new Date(at).toLocaleString(props.locale, { dateStyle: 'medium', timeStyle: 'short' })
  const count = () => props.log?.count ?? 0
  return (
    <li class="kanso-rule" classList={{ 'kanso-rule-off': !props.rule.enabled }} data-testid={`rule-${props.rule.id}`}>
      <label class="kanso-switch" title={props.admin ? undefined : 'Only admins switch rules'}>
        <input type="checkbox" role="switch" aria-label={`${props.rule.name || 'Rule'} on`} checked={props.rule.enabled} disabled={!props.admin}
          onChange={(e) => props.onSwitch(e.currentTarget.checked)} />
      </label>
      <div>
        <div class="kanso-rule-name">{props.rule.name || 'Untitled rule'}</div>
        <Show when={props.sentence} fallback={<div class="kanso-rule-sentence kanso-hint">Loading the workspace…</div>}>
          {(s) => (
            <div class="kanso-rule-sentence" data-testid="rule-sentence">
              <b>When</b> {stripWord(s().when, 'when')}
              <Show when={s().if}>{(c) => <>, <b>if</b> {stripWord(c(), 'if')}</>}</Show>
              {' '}→ <b>then</b> {s().then.map((t) => stripWord(t, 'then')).join('; ')}
            </div>
          )}
        </Show>
      </div>
      <Show when={props.admin}>
        <div class="kanso-rule-actions">
          <button type="button" onClick={() => props.onEdit()}>Edit</button>
          <button type="button" class="kanso-danger" onClick={() => props.onDelete()}>Delete</button>
        </div>
      </Show>
      <div class="kanso-rule-stats" data-testid="rule-stats">
        <span>{props.rule.enabled ? 'On' : 'Off'}</span>
        <Show when={props.log?.lastAt} fallback={<span>Never fired</span>}>
          {(at) => (
            <>
              <span>Last fired {when(at())}</span>
              <span>{count() === 1 ? 'Fired once' : `Fired ${count().toLocaleString(props.locale)} times`}</span>
            </>
          )}
        </Show>
      </div>
      <Show when={props.log?.errors.length}>
        <ul class="kanso-rule-errors" aria-label="Recent errors" data-testid="rule-errors">
          <For each={props.log!.errors}>{(e) => <li>{when(e.at)}: {e.message}</li>}</For>
        </ul>
      </Show>
    </li>
  )
}

/**
 * The sentence parts start with their own word ("When a lead…", "If Source is…", "Create a
 * call…"); the list prints "when", "if", "then" in bold itself, and an action's verb goes on in
 * lower case after "then" (conditions start with a field's own label, kept as it is).
 */
function stripWord(text: string, word: string): string {
  const rest = text.toLowerCase().startsWith(`${word} `) ? text.slice(word.length + 1) : text
  return word === 'then' ? rest.charAt(0).toLowerCase() + rest.slice(1) : rest
}
