import { For, Index, Match, Show, Switch, createMemo, createSignal, type JSX } from 'solid-js'
import type { ParseContext } from '../../domain/parseFieldInput'
import type { Assignee, DurationUnit, Rule, RuleAction, RuleCondition, RuleTrigger } from '../../domain/rules/rule'
import { validateRule } from '../../domain/rules/validateRule'
import type { FieldValue, WorkspaceSchema } from '../../domain/schema'
import type { MemberInfo } from '../session/relayApi'
import { FieldValueInput } from './FieldValueInput'
import {
  ACTION_LABELS, CONDITION_LABELS, TRIGGER_LABELS, activityTypesOf, conditionTakesValue, dateFields, defaultAction, defaultCondition, defaultTrigger,
  ownerFieldId, ruleEntities, ruleFields, stagesOf, triggerEntity, triggerKindsOf, type ActionKind, type TriggerKind,
} from './ruleDrafts'

type Errors = { path: string; message: string }[]

/**
 * A rule as a sentence with pickers: "When a [Lead] [is created] … If [field] [is] [value] …
 * Then [create an activity] …". Fields, stages, members and activity types come from the
 * schema. validateRule's errors show next to the part they name (`trigger.field` under the
 * When line, `actions[1].subject` under the second action), and Save stays off until the rule
 * is valid: nothing half-made is ever stored.
 */
export function RuleEditor(props: {
  schema: WorkspaceSchema; members: MemberInfo[]; rule: Rule; isNew: boolean; locale: string
  onSave: (rule: Rule) => void; onCancel: () => void
}) {
  const [draft, setDraft] = createSignal<Rule>(structuredClone(props.rule))
  const verdict = createMemo(() => validateRule(draft(), props.schema, props.members.map((m) => m.id)))
  const errors = (): Errors => { const v = verdict(); return v.ok ? [] : v.errors }
  const under = (prefix: string) => errors().filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`))
  const named = (path: string) => errors().some((e) => e.path === path)
  const members = () => props.members.filter((m) => !m.revokedAt)
  const ctx = (): ParseContext => ({ locale: props.locale, members: members(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone })
  const entity = () => triggerEntity(draft().trigger, props.schema)
  const fieldOf = (id: string | undefined) => entity()?.fields.find((f) => f.id === id)

  const update = (edit: (r: Rule) => Rule) => setDraft((r) => edit(structuredClone(r)))
  const setTrigger = (t: RuleTrigger) => update((r) => ({ ...r, trigger: t }))
  const setCondition = (i: number, c: RuleCondition) => update((r) => ({ ...r, conditions: r.conditions.map((x, k) => (k === i ? c : x)) }))
  const setAction = (i: number, a: RuleAction) => update((r) => ({ ...r, actions: r.actions.map((x, k) => (k === i ? a : x)) }))

  const chooseEntity = (id: string) => {
    const next = props.schema.entities.find((e) => e.id === id)
    if (!next) return
    const kinds = triggerKindsOf(next, props.schema)
    const kind = kinds.includes(draft().trigger.kind) ? draft().trigger.kind : 'created'
    // the conditions and field actions named the old list's fields
    update((r) => ({
      ...r, trigger: defaultTrigger(kind, next, props.schema), conditions: [],
      actions: r.actions.map((a) => (a.kind === 'setField' ? defaultAction('setField', next, props.schema) : a)),
    }))
  }
  const chooseKind = (kind: TriggerKind) => { const e = entity(); if (e) setTrigger(defaultTrigger(kind, e, props.schema)) }

  const save = () => {
    const v = verdict()
    if (v.ok) props.onSave(v.rule)
  }
  const Problems = (p: { prefix: string; exact?: boolean }) => (
    <For each={p.exact ? errors().filter((e) => e.path === p.prefix) : under(p.prefix)}>
      {(e) => <span class="kanso-rule-error" role="alert" data-path={e.path}>{e.message}</span>}
    </For>
  )

  return (
    <form class="kanso-rule-editor" data-testid="rule-editor" aria-label={props.isNew ? 'New rule' : 'Edit rule'} onSubmit={(e) => { e.preventDefault(); save() }}>
      <div class="kanso-rule-part">
        <span class="kanso-rule-word">Name</span>
        <input type="text" aria-label="Rule name" placeholder="e.g. Call new leads" value={draft().name} aria-invalid={named('name')} style={{ flex: '1 1 240px' }}
          onInput={(e) => { const name = e.currentTarget.value; update((r) => ({ ...r, name })) }} />
        <Problems prefix="name" />
      </div>

      <div class="kanso-rule-part" data-testid="rule-when">
        <span class="kanso-rule-word">When</span>
        <span>a</span>
        <select aria-label="Record" value={entity()?.id ?? ''} onChange={(e) => chooseEntity(e.currentTarget.value)}>
          <For each={ruleEntities(props.schema)}>{(e) => <option value={e.id}>{e.singular}</option>}</For>
        </select>
        <select aria-label="Trigger" value={draft().trigger.kind} onChange={(e) => chooseKind(e.currentTarget.value as TriggerKind)}>
          <For each={entity() ? triggerKindsOf(entity()!, props.schema) : []}>{(k) => <option value={k}>{TRIGGER_LABELS[k]}</option>}</For>
        </select>
        <TriggerDetails trigger={draft().trigger} schema={props.schema} ctx={ctx()} named={named} onChange={setTrigger} />
        <Problems prefix="trigger" />
      </div>

      <div class="kanso-rule-part" data-testid="rule-if">
        <span class="kanso-rule-word">If</span>
        <Show when={!draft().conditions.length}><span class="kanso-muted">always</span></Show>
        <Problems prefix="conditions" exact />
      </div>
      <Index each={draft().conditions}>
        {(c, i) => {
          const field = () => fieldOf(c().field)
          return (
            <div class="kanso-rule-line" data-testid="rule-condition">
              <Show when={i > 0}><span>and</span></Show>
              <Show when={c().op !== 'ownerIs'} fallback={<span>the owner</span>}>
                <select aria-label="Condition field" value={c().field} aria-invalid={named(`conditions[${i}].field`)}
                  onChange={(e) => setCondition(i, { ...c(), field: e.currentTarget.value, value: undefined })}>
                  <For each={entity() ? ruleFields(entity()!) : []}>{(f) => <option value={f.id}>{f.label}</option>}</For>
                </select>
              </Show>
              <select aria-label="Condition" value={c().op} aria-invalid={named(`conditions[${i}].op`)}
                onChange={(e) => {
                  const op = e.currentTarget.value as RuleCondition['op']
                  const owner = ownerFieldId(entity())
                  setCondition(i, { field: op === 'ownerIs' && owner ? owner : c().field, op, ...(conditionTakesValue(op) ? { value: c().value } : {}) })
                }}>
                <For each={Object.entries(CONDITION_LABELS)}>{([op, label]) => <option value={op}>{label}</option>}</For>
              </select>
              <Show when={conditionTakesValue(c().op)}>
                <Show when={c().op === 'inList'} fallback={
                  <FieldValueInput field={c().op === 'ownerIs' ? fieldOf(ownerFieldId(entity())) : field()} value={c().value} ctx={ctx()} label="Condition value"
                    invalid={named(`conditions[${i}].value`)} onChange={(value) => setCondition(i, { ...c(), value })} />
                }>
                  <input type="text" aria-label="Condition values" placeholder="one, another" value={Array.isArray(c().value) ? (c().value as string[]).join(', ') : ''}
                    aria-invalid={named(`conditions[${i}].value`)}
                    onChange={(e) => setCondition(i, { ...c(), value: e.currentTarget.value.split(',').map((s) => s.trim()).filter(Boolean) })} />
                </Show>
              </Show>
              <button type="button" class="kanso-link-button" aria-label={`Remove condition ${i + 1}`}
                onClick={() => update((r) => ({ ...r, conditions: r.conditions.filter((_, k) => k !== i) }))}>remove</button>
              <Problems prefix={`conditions[${i}]`} />
            </div>
          )
        }}
      </Index>
      <div class="kanso-rule-line">
        <button type="button" disabled={!entity()} onClick={() => update((r) => ({ ...r, conditions: [...r.conditions, defaultCondition(entity()!)] }))}>+ Condition</button>
      </div>

      <div class="kanso-rule-part" data-testid="rule-then">
        <span class="kanso-rule-word">Then</span>
        <Problems prefix="actions" exact />
      </div>
      <Index each={draft().actions}>
        {(a, i) => (
          <div class="kanso-rule-line" data-testid="rule-action">
            <Show when={i > 0}><span>and</span></Show>
            <select aria-label={`Action ${i + 1}`} value={a().kind}
              onChange={(e) => setAction(i, defaultAction(e.currentTarget.value as ActionKind, entity(), props.schema))}>
              <For each={Object.entries(ACTION_LABELS)}>{([kind, label]) => <option value={kind}>{label}</option>}</For>
            </select>
            <ActionDetails action={a()} index={i} schema={props.schema} entity={entity()} members={members()} ctx={ctx()} named={named} onChange={(next) => setAction(i, next)} />
            <Show when={draft().actions.length > 1}>
              <button type="button" class="kanso-link-button" aria-label={`Remove action ${i + 1}`}
                onClick={() => update((r) => ({ ...r, actions: r.actions.filter((_, k) => k !== i) }))}>remove</button>
            </Show>
            <Problems prefix={`actions[${i}]`} />
          </div>
        )}
      </Index>
      <div class="kanso-rule-line">
        <button type="button" onClick={() => update((r) => ({ ...r, actions: [...r.actions, defaultAction('notify', entity(), props.schema)] }))}>+ Action</button>
      </div>

      <div class="kanso-rule-editor-foot">
        <span class="kanso-hint" data-testid="rule-editor-state">
          {verdict().ok ? 'Ready to save.' : `${errors().length} ${errors().length === 1 ? 'thing' : 'things'} to fix before it can be saved.`}
        </span>
        <button type="button" onClick={() => props.onCancel()}>Cancel</button>
        <button type="submit" class="kanso-primary" disabled={!verdict().ok}>{props.isNew ? 'Create rule' : 'Save rule'}</button>
      </div>
    </form>
  )
}

function TriggerDetails(props: { trigger: RuleTrigger; schema: WorkspaceSchema; ctx: ParseContext; named: (path: string) => boolean; onChange: (t: RuleTrigger) => void }): JSX.Element {
  const entity = () => triggerEntity(props.trigger, props.schema)
  // a Match per kind keeps its inputs while their values change (a typed value keeps its focus)
  const of = <K extends RuleTrigger['kind']>(kind: K) => (props.trigger.kind === kind ? (props.trigger as Extract<RuleTrigger, { kind: K }>) : undefined)
  return (
    <Switch>
      <Match when={of('fieldChanged')}>
        {(t) => (
          <>
            <select aria-label="Changed field" value={t().field} aria-invalid={props.named('trigger.field')} onChange={(e) => props.onChange({ kind: 'fieldChanged', entity: t().entity, field: e.currentTarget.value })}>
              <For each={entity() ? ruleFields(entity()!) : []}>{(f) => <option value={f.id}>{f.label}</option>}</For>
            </select>
            <label class="kanso-check"><input type="checkbox" checked={t().to !== undefined}
              onChange={(e) => props.onChange(e.currentTarget.checked ? { ...t(), to: null } : { kind: 'fieldChanged', entity: t().entity, field: t().field })} /> to</label>
            <Show when={t().to !== undefined}>
              <FieldValueInput field={entity()?.fields.find((f) => f.id === t().field)} value={t().to} ctx={props.ctx} label="Changed to" invalid={props.named('trigger.to')}
                onChange={(to: FieldValue) => props.onChange({ ...t(), to })} />
            </Show>
          </>
        )}
      </Match>
      <Match when={of('stageEntered')}>
        {(t) => (
          <select aria-label="Stage" value={t().stage} aria-invalid={props.named('trigger.stage')} onChange={(e) => props.onChange({ kind: 'stageEntered', stage: e.currentTarget.value })}>
            <For each={stagesOf(props.schema)}>{(s) => <option value={s.id}>{s.label}</option>}</For>
          </select>
        )}
      </Match>
      <Match when={of('activityCompleted')}>
        {(t) => (
          <>
            <span>and is a</span>
            <select aria-label="Activity type" value={t().activityType ?? ''}
              onChange={(e) => props.onChange(e.currentTarget.value ? { kind: 'activityCompleted', activityType: e.currentTarget.value } : { kind: 'activityCompleted' })}>
              <option value="">any activity</option>
              <For each={activityTypesOf(props.schema)}>{(type) => <option value={type}>{type}</option>}</For>
            </select>
          </>
        )}
      </Match>
      <Match when={of('dateOffset')}>
        {(t) => (
          <>
            <input type="number" min="0" aria-label="Days" value={Math.abs(t().days)} aria-invalid={props.named('trigger.days')}
              onChange={(e) => props.onChange({ ...t(), days: (t().days > 0 ? 1 : -1) * Math.abs(Number(e.currentTarget.value) || 0) })} />
            <span>days</span>
            <select aria-label="Before or after" value={t().days > 0 ? 'after' : 'before'}
              onChange={(e) => props.onChange({ ...t(), days: (e.currentTarget.value === 'after' ? 1 : -1) * Math.abs(t().days) })}>
              <option value="before">before</option>
              <option value="after">after</option>
            </select>
            <span>its</span>
            <select aria-label="Date field" value={t().field} aria-invalid={props.named('trigger.field')} onChange={(e) => props.onChange({ ...t(), field: e.currentTarget.value })}>
              <For each={entity() ? dateFields(entity()!) : []}>{(f) => <option value={f.id}>{f.label}</option>}</For>
            </select>
          </>
        )}
      </Match>
      <Match when={of('noActivity')}>
        {(t) => (
          <>
            <span>for</span>
            <input type="number" min="1" aria-label="Days without activity" value={t().days} aria-invalid={props.named('trigger.days')}
              onChange={(e) => props.onChange({ ...t(), days: Number(e.currentTarget.value) || 0 })} />
            <span>days</span>
          </>
        )}
      </Match>
    </Switch>
  )
}

function AssigneePicker(props: { assignee: Assignee; members: MemberInfo[]; allowOwner: boolean; label: string; invalid: boolean; onChange: (a: Assignee) => void }) {
  const a = () => props.assignee
  const members = () => (a().kind === 'roundRobin' ? (a() as Extract<Assignee, { kind: 'roundRobin' }>).members : [])
  return (
    <>
      <select aria-label={props.label} aria-invalid={props.invalid} value={a().kind === 'member' ? `member:${(a() as Extract<Assignee, { kind: 'member' }>).member}` : a().kind}
        onChange={(e) => {
          const v = e.currentTarget.value
          if (v === 'owner') props.onChange({ kind: 'owner' })
          else if (v === 'roundRobin') props.onChange({ kind: 'roundRobin', members: [] })
          else props.onChange({ kind: 'member', member: v.slice('member:'.length) })
        }}>
        <Show when={props.allowOwner}><option value="owner">its owner</option></Show>
        <For each={props.members}>{(m) => <option value={`member:${m.id}`}>{m.name}</option>}</For>
        <option value="roundRobin">members in turn…</option>
      </select>
      <Show when={a().kind === 'roundRobin'}>
        <span class="kanso-member-picks" role="group" aria-label="Members in turn">
          <For each={props.members}>
            {(m) => (
              <label>
                <input type="checkbox" checked={members().includes(m.id)}
                  onChange={(e) => props.onChange({ kind: 'roundRobin', members: e.currentTarget.checked ? [...members(), m.id] : members().filter((x) => x !== m.id) })} />
                {m.name}
              </label>
            )}
          </For>
        </span>
      </Show>
    </>
  )
}

function ActionDetails(props: {
  action: RuleAction; index: number; schema: WorkspaceSchema; entity: ReturnType<typeof triggerEntity>; members: MemberInfo[]; ctx: ParseContext
  named: (path: string) => boolean; onChange: (a: RuleAction) => void
}): JSX.Element {
  const path = (part: string) => `actions[${props.index}].${part}`
  const of = <K extends RuleAction['kind']>(kind: K) => (props.action.kind === kind ? (props.action as Extract<RuleAction, { kind: K }>) : undefined)
  return (
    <Switch>
      <Match when={of('createActivity')}>
        {(a) => (
          <>
            <select aria-label="Activity type" value={a().activityType} aria-invalid={props.named(path('activityType'))} onChange={(e) => props.onChange({ ...a(), activityType: e.currentTarget.value })}>
              <For each={activityTypesOf(props.schema)}>{(type) => <option value={type}>{type}</option>}</For>
            </select>
            <input type="text" aria-label="Subject" placeholder="Subject, e.g. Call the customer" value={a().subject} aria-invalid={props.named(path('subject'))}
              onInput={(e) => props.onChange({ ...a(), subject: e.currentTarget.value })} />
            <span>for</span>
            <AssigneePicker assignee={a().assignee} members={props.members} allowOwner label="Activity for" invalid={props.named(path('assignee'))}
              onChange={(assignee) => props.onChange({ ...a(), assignee })} />
            <span>due in</span>
            <input type="number" min="0" aria-label="Due in" value={a().dueIn.amount} aria-invalid={props.named(path('dueIn'))}
              onChange={(e) => props.onChange({ ...a(), dueIn: { ...a().dueIn, amount: Number(e.currentTarget.value) || 0 } })} />
            <select aria-label="Due in unit" value={a().dueIn.unit} onChange={(e) => props.onChange({ ...a(), dueIn: { ...a().dueIn, unit: e.currentTarget.value as DurationUnit } })}>
              <option value="minutes">minutes</option>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </select>
          </>
        )}
      </Match>
      <Match when={of('setField')}>
        {(a) => (
          <>
            <select aria-label="Field to set" value={a().field} aria-invalid={props.named(path('field'))} onChange={(e) => props.onChange({ kind: 'setField', field: e.currentTarget.value, value: null })}>
              <For each={props.entity ? ruleFields(props.entity) : []}>{(f) => <option value={f.id}>{f.label}</option>}</For>
            </select>
            <span>to</span>
            <FieldValueInput field={props.entity?.fields.find((f) => f.id === a().field)} value={a().value} ctx={props.ctx} label="Value to set" invalid={props.named(path('value'))}
              onChange={(value) => props.onChange({ ...a(), value })} />
          </>
        )}
      </Match>
      <Match when={of('assignOwner')}>
        {(a) => (
          <>
            <span>to</span>
            <AssigneePicker assignee={a().assignee} members={props.members} allowOwner={false} label="New owner" invalid={props.named(path('assignee'))}
              onChange={(assignee) => props.onChange({ ...a(), assignee })} />
          </>
        )}
      </Match>
      <Match when={of('moveStage')}>
        {(a) => (
          <select aria-label="Move to stage" value={a().stage} aria-invalid={props.named(path('stage'))} onChange={(e) => props.onChange({ ...a(), stage: e.currentTarget.value })}>
            <For each={stagesOf(props.schema)}>{(s) => <option value={s.id}>{s.label}</option>}</For>
          </select>
        )}
      </Match>
      <Match when={of('notify')}>
        {(a) => (
          <>
            <select aria-label="Notify whom" value={a().member} aria-invalid={props.named(path('member'))} onChange={(e) => props.onChange({ ...a(), member: e.currentTarget.value })}>
              <option value="owner">its owner</option>
              <For each={props.members}>{(m) => <option value={m.id}>{m.name}</option>}</For>
            </select>
            <input type="text" aria-label="Message" placeholder="Message" value={a().message} aria-invalid={props.named(path('message'))} style={{ flex: '1 1 200px' }}
              onInput={(e) => props.onChange({ ...a(), message: e.currentTarget.value })} />
          </>
        )}
      </Match>
      <Match when={of('webhook')}>
        {(a) => (
          <input type="url" aria-label="Webhook URL" value={a().url} aria-invalid={props.named(path('url'))} style={{ flex: '1 1 260px' }}
            onInput={(e) => props.onChange({ ...a(), url: e.currentTarget.value })} />
        )}
      </Match>
    </Switch>
  )
}
