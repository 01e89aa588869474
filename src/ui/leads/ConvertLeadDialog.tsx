import { For, Show, createEffect, createMemo, createResource, createSignal, on, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { randomId } from '../../crdt/randomId'
import { convertLead, LeadConversionError, type ConversionChoice, type ConversionMatch, type ConversionPlan } from '../../domain/leads/convertLead'
import { livePipelines, liveStages } from '../../domain/pipelines/pipeline'
import { recordTitle } from '../../domain/recordTitle'
import { findEntity, type EntityDef, type Row, type WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { conversionUndoOf } from './conversionUndo'
import { writeConversion, type ConversionStores } from './writeConversion'
import './convertLeadDialog.css'

const WHY: Record<ConversionMatch['by'], string> = { email: 'same email', phone: 'same phone', name: 'same name' }

/**
 * Convert… for a lead: the plan convertLead makes, with the existing contacts and companies it
 * matched offered instead of new ones, and the deal (yes/no, title, pipeline, stage). Convert
 * writes it through the page's stores as one undo step (conversionUndo).
 */
export function ConvertLeadDialog(props: { session: WorkspaceSession; schema: WorkspaceSchema; leadId: string; onClose: () => void; onConverted: (message: string) => void }) {
  const entities = {
    leads: findEntity(props.schema, 'leads')!,
    contacts: findEntity(props.schema, 'contacts')!,
    companies: findEntity(props.schema, 'companies')!,
    deals: findEntity(props.schema, 'deals'),
  }
  const ids = { contact: randomId(), company: randomId(), deal: randomId() }
  const pipelines = props.schema.pipelines ?? []
  const [stores] = createResource(async (): Promise<ConversionStores> => {
    const load = async (entity: EntityDef) => {
      const store = await props.session.entity(entity.id)
      store.loadRest?.()
      await store.complete
      return store
    }
    const [leads, contacts, companies, deals] = await Promise.all([load(entities.leads), load(entities.contacts), load(entities.companies), entities.deals && load(entities.deals)])
    return { leads: leads!, contacts: contacts!, companies: companies!, deals: deals as EntityStore | undefined }
  })
  const [contact, setContact] = createSignal<string>()
  const [company, setCompany] = createSignal<string>()
  const [withDeal, setWithDeal] = createSignal(entities.deals !== undefined)
  const [title, setTitle] = createSignal<string>()
  const [pipeline, setPipeline] = createSignal<string>()
  const [stage, setStage] = createSignal<string>()

  const planFor = (choice: ConversionChoice): { plan: ConversionPlan } | { error: string } => {
    const s = stores()
    const lead = s?.leads.row(props.leadId)
    if (!s || !lead) return { error: 'This lead is no longer there.' }
    try {
      return { plan: convertLead({ entities, lead, contacts: s.contacts.rows(), companies: s.companies.rows(), pipelines, choice, ids, fallbackOwner: props.session.member.id }) }
    } catch (error) {
      if (error instanceof LeadConversionError) return { error: error.message }
      throw error
    }
  }
  // what the lead would become untouched: the selects start from it
  const initial = createMemo(() => (stores() ? planFor({}) : null))
  const choice = (): ConversionChoice => {
    const first = initial()
    const start = first && 'plan' in first ? first.plan : undefined
    const deals = entities.deals
    const dealValue = (key: string) => {
      const field = deals?.fields.find((f) => f.key === key && !f.deletedAt)
      const value = field ? start?.deal?.create && start.deal.values[field.id] : undefined
      return typeof value === 'string' ? value : undefined
    }
    const companyPick = () => company() ?? (start?.company ? (start.company.create ? 'new' : start.company.id) : 'none')
    return {
      contact: contact() ?? (start?.contact.create ? 'new' : start?.contact.id),
      company: companyPick() === 'none' ? null : companyPick(),
      deal: withDeal() ? { title: title() ?? dealValue('title'), pipeline: pipeline() ?? dealValue('pipeline'), stage: stage() ?? dealValue('stage') } : null,
    }
  }
  const current = createMemo(() => (stores() ? planFor(choice()) : null))
  const plan = () => { const c = current(); return c && 'plan' in c ? c.plan : undefined }
  const error = () => { const c = current(); return c && 'error' in c ? c.error : undefined }

  const rowOf = (store: EntityStore | undefined, id: string): Row | undefined => store?.row(id)
  const leadTitle = () => { const row = stores()?.leads.row(props.leadId); return row ? recordTitle(entities.leads, row) : '' }
  const newContactName = () => { const p = plan(); return p?.contact.create ? recordTitle(entities.contacts, { id: '', values: p.contact.values, createdAt: '', createdBy: '' }) : '' }
  const companyName = () => { const f = entities.leads.fields.find((x) => x.key === 'company_name'); const v = f && stores()?.leads.row(props.leadId)?.values[f.id]; return typeof v === 'string' ? v.trim() : '' }
  const stagesOf = () => livePipelines(pipelines).find((p) => p.id === choice().deal?.pipeline) ?? livePipelines(pipelines)[0]

  const convert = () => {
    const s = stores()
    const p = plan()
    if (!s || !p) return
    const steps = writeConversion(p, props.leadId, s, entities.deals, pipelines, props.session.member.id)
    conversionUndoOf(props.session).record(steps)
    const made = [p.contact.create && 'a contact', p.company?.create && 'a company', p.deal && 'a deal'].filter(Boolean) as string[]
    props.onConverted(`Converted “${leadTitle()}”${made.length ? ` into ${new Intl.ListFormat('en', { type: 'conjunction' }).format(made)}` : ''}. Undo with Ctrl+Z.`)
    props.onClose()
  }

  // the keyboard moves into the dialog at once (Escape closes it, not the list or panel behind),
  // and onto its first choice once the contacts and companies are in
  let box!: HTMLDivElement
  let first: HTMLSelectElement | undefined
  onMount(() => box.focus())
  createEffect(on(stores, (loaded) => { if (loaded) queueMicrotask(() => first?.focus()) }))
  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) props.onClose() }}>
      <div ref={box} tabIndex={-1} class="kanso-modal kanso-convert" role="dialog" aria-modal="true" aria-labelledby="kanso-convert-title" data-testid="convert-dialog"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); props.onClose() } }}>
        <h2 id="kanso-convert-title">Convert lead{leadTitle() ? ` “${leadTitle()}”` : ''}</h2>
        <Show when={stores()} fallback={<p class="kanso-hint">Loading contacts and companies…</p>}>
          <label>
            Contact
            <select ref={first} data-testid="convert-contact" onChange={(e) => setContact(e.currentTarget.value)} value={choice().contact}>
              <option value="new">New contact{newContactName() ? `: ${newContactName()}` : ''}</option>
              <For each={initial() && 'plan' in initial()! ? (initial() as { plan: ConversionPlan }).plan.matches.contacts : []}>
                {(m) => { const row = rowOf(stores()?.contacts, m.id); return <option value={m.id}>{row ? recordTitle(entities.contacts, row) : m.id} ({WHY[m.by]})</option> }}
              </For>
            </select>
          </label>
          <label>
            Company
            <select data-testid="convert-company" onChange={(e) => setCompany(e.currentTarget.value)} value={choice().company ?? 'none'}>
              <Show when={companyName()}><option value="new">New company: {companyName()}</option></Show>
              <For each={initial() && 'plan' in initial()! ? (initial() as { plan: ConversionPlan }).plan.matches.companies : []}>
                {(m) => { const row = rowOf(stores()?.companies, m.id); return <option value={m.id}>{row ? recordTitle(entities.companies, row) : m.id} ({WHY[m.by]})</option> }}
              </For>
              <Show when={choice().company && choice().company !== 'new' && !(initial() as { plan?: ConversionPlan } | null)?.plan?.matches.companies.some((m) => m.id === choice().company)}>
                <option value={choice().company!}>{(() => { const row = rowOf(stores()?.companies, choice().company!); return row ? `${recordTitle(entities.companies, row)} (the contact’s)` : choice().company })()}</option>
              </Show>
              <option value="none">No company</option>
            </select>
          </label>
          <Show when={entities.deals}>
            <label class="kanso-convert-check">
              <input type="checkbox" checked={withDeal()} data-testid="convert-deal" onChange={(e) => setWithDeal(e.currentTarget.checked)} />
              Create a deal
            </label>
            <Show when={withDeal()}>
              <div class="kanso-convert-deal">
                <label>
                  Deal title
                  <input type="text" data-testid="convert-deal-title" value={choice().deal?.title ?? ''} onInput={(e) => setTitle(e.currentTarget.value)} />
                </label>
                <label>
                  Pipeline
                  <select value={choice().deal?.pipeline ?? ''} onChange={(e) => { setPipeline(e.currentTarget.value); setStage(liveStages(stagesOf()!)[0]?.id) }}>
                    <For each={livePipelines(pipelines)}>{(p) => <option value={p.id}>{p.name}</option>}</For>
                  </select>
                </label>
                <label>
                  Stage
                  <select data-testid="convert-deal-stage" value={choice().deal?.stage ?? ''} onChange={(e) => setStage(e.currentTarget.value)}>
                    <For each={stagesOf() ? liveStages(stagesOf()!) : []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
                  </select>
                </label>
              </div>
            </Show>
          </Show>
          <p class="kanso-convert-note">The lead is marked Converted and linked to what it becomes. Ctrl+Z takes it all back.</p>
          <Show when={error()}><p class="kanso-refusal" role="alert">{error()}</p></Show>
        </Show>
        <div class="kanso-modal-actions">
          <button type="button" onClick={props.onClose}>Cancel</button>
          <button type="button" class="kanso-primary" disabled={!plan()} onClick={convert}>Convert</button>
        </div>
      </div>
    </div>
  )
}
