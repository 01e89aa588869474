import { typingElsewhere } from '../typingElsewhere'
import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup, onMount } from 'solid-js'
import type { PhoneScheme } from '../../domain/cellLinkHref'
import { describeRecord } from '../../domain/describeRecord'
import type { ParseContext } from '../../domain/parseFieldInput'
import { linkedIds } from '../../domain/records/reverseLinkIndex'
import { relatedRowDetail } from '../../domain/records/relatedRowDetail'
import { recordRelations, type InboundRelation, type OutboundRelation } from '../../domain/records/recordRelations'
import { recordTitle } from '../../domain/recordTitle'
import { isConverted } from '../../domain/leads/convertLead'
import { liveFields, type EntityDef, type FieldDef, type Row, type WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { DealLinesPanel } from '../deals/DealLinesPanel'
import { createLostReasonQuestion } from '../deals/createLostReasonQuestion'
import { LostReasonDialog } from '../deals/LostReasonDialog'
import { makeGridContext } from '../grid/makeGridContext'
import type { RefusedInputs } from '../grid/refusedInputs'
import { ConvertLeadDialog } from '../leads/ConvertLeadDialog'
import { undoInView } from '../leads/conversionUndo'
import type { MemberInfo, RelayApi } from '../session/relayApi'
import { HistorySection } from './HistorySection'
import { ACTIVITIES } from '../activities/createActivityRows'
import { PanelField } from './PanelField'
import { RelatedGroup } from './RelatedGroup'
import './recordPanel.css'

export interface RecordPanelProps {
  session: WorkspaceSession
  schema: WorkspaceSchema
  entityId: string
  recordId: string
  members: MemberInfo[]
  refused: RefusedInputs
  phoneScheme?: PhoneScheme
  onOpenRecord: (entityId: string, recordId: string) => void
  recordHref: (entityId: string, recordId: string) => string
  onClose: () => void
  /** The relay's API with the member's token (the record's history). */
  api: Pick<RelayApi, 'recordHistory'>
}

/**
 * One record in a dense panel beside the list (over it on a tablet, the whole screen on a
 * phone): every field with the grid's editors and refusals, the records it links to and those
 * linking to it (read from the schema's link fields), a new related record with its link filled
 * in, and its history. Edits go through the entity's store like the grid's (one undo step each,
 * Ctrl+Z here undoes them); a teammate's edit shows as it arrives. A lead's panel converts it
 * (Convert…, Alt+Shift+C: the grid's dialog, one undo step) and then lists what it became.
 */
export function RecordPanel(props: RecordPanelProps) {
  const entity = (): EntityDef => props.schema.entities.find((e) => e.id === props.entityId)!
  const [store] = createResource(() => props.session.entity(props.entityId))
  const editable = props.session.member.role !== 'viewer'
  const locale = navigator.language || 'en-US'
  const [row, setRow] = createSignal<Row | undefined>(undefined)
  const [loaded, setLoaded] = createSignal(false)
  const [redraw, setRedraw] = createSignal(0)
  // a deal moved to a lost stage here: why, asked in the page
  const lostReason = createLostReasonQuestion({ entity, rows: () => store()?.rows() ?? [] })
  const handle = makeGridContext({
    session: props.session, schema: () => props.schema, entityId: props.entityId, members: props.members, refused: props.refused,
    phoneScheme: props.phoneScheme, onLinkNames: () => setRedraw((n) => n + 1), askLostReason: lostReason.ask,
  })
  const ctx = handle.context
  onCleanup(() => handle.destroy())
  handle.watchLinkedEntities()

  createEffect(on(store, (s) => {
    if (!s) return
    setRow(s.row(props.recordId))
    onCleanup(s.subscribe((patch) => {
      if (patch.removed.includes(props.recordId)) setRow(undefined)
      const changed = patch.updated.find((r) => r.id === props.recordId) ?? patch.added.find((r) => r.id === props.recordId)
      if (changed) setRow(changed)
    }))
    // a record opened by its address before the list's rows are all in
    if (!s.row(props.recordId)) {
      s.loadRest?.()
      void (s.complete ?? Promise.resolve()).then(() => { setRow(s.row(props.recordId)); setLoaded(true) })
    } else setLoaded(true)
  }))
  createEffect(on(() => props.members, (members) => {
    ctx.parseContext.members = members.map((m) => ({ id: m.id, name: m.name }))
    setRedraw((n) => n + 1)
  }, { defer: true }))
  createEffect(on(() => props.schema, (schema) => {
    ctx.parseContext.workspaceCountry = schema.workspace?.defaultCountry
    handle.watchLinkedEntities()
    setRedraw((n) => n + 1)
  }, { defer: true }))
  // the history is read again once what this device wrote has reached the relay
  const isSynced = (s: { state: string; pending: number }) => s.state === 'synced' && s.pending === 0
  const [synced, setSynced] = createSignal(isSynced(props.session.status()))
  const [offline, setOffline] = createSignal(props.session.status().state === 'offline')
  onCleanup(props.session.onStatus((s) => { setSynced(isSynced(s)); setOffline(s.state === 'offline') }))
  const stopRefused = props.refused.subscribe(() => setRedraw((n) => n + 1))
  onCleanup(stopRefused)

  const fields = createMemo(() => liveFields(entity()))
  const relations = createMemo(() => recordRelations(props.schema, props.entityId))
  const outbound = () => relations().filter((r): r is OutboundRelation => r.kind === 'outbound')
  // the activities naming this record are in the timeline (with the history), not a group of their own
  const isActivities = (r: InboundRelation) => r.source.id === ACTIVITIES
  const inbound = () => relations().filter((r): r is InboundRelation => r.kind === 'inbound' && !isActivities(r))
  const activityRelation = () => relations().find((r): r is InboundRelation => r.kind === 'inbound' && isActivities(r))
  const title = () => { const r = row(); return r ? recordTitle(entity(), r) : entity().singular }
  let panel!: HTMLElement
  // kanso:panel-shown after the frame that paints the fields and every related group's count
  // (the bench's B18 times it from the keystroke)
  let waiting = -1
  const groupShown = () => {
    if (waiting > 0 && --waiting === 0) requestAnimationFrame(() => setTimeout(() => performance.mark('kanso:panel-shown'), 0))
  }
  createEffect(on(() => !!row(), (shown) => {
    if (!shown || waiting >= 0) return
    waiting = inbound().filter((r) => r.source.key !== 'deal_lines' || entity().key !== 'deals').length + (activityRelation() ? 1 : 0) + 1
    groupShown()
  }))

  const moveFrom = (from: FieldDef, by: 1 | -1) => {
    const list = fields()
    const next = list[list.findIndex((f) => f.id === from.id) + by]
    const target = next ? panel.querySelector<HTMLElement>(`[data-field-id="${CSS.escape(next.id)}"] .kanso-panel-value`) : null
    target?.focus()
  }
  // a lead: Convert… with the grid's dialog; Ctrl+Z or ↶ here takes the whole conversion back, as in the grid
  const [converting, setConverting] = createSignal(false)
  const [converted, setConverted] = createSignal<string | null>(null)
  const canConvert = () => editable && entity().key === 'leads' && ['contacts', 'companies'].every((k) => props.schema.entities.some((e) => e.key === k))
    && !!row() && !isConverted(entity(), row()!)
  // the note goes when the conversion is taken back, here or in another view
  createEffect(on(row, (r) => { if (r && entity().key === 'leads' && !isConverted(entity(), r)) setConverted(null) }, { defer: true }))
  const undo = () => {
    const s = store()
    if (s) undoInView(props.session, s)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey && e.shiftKey && e.code === 'KeyC' && canConvert()) {
      e.preventDefault()
      setConverting(true)
      return
    }
    const inInput = (e.target as HTMLElement).closest('input, textarea, select')
    // a: the timeline's quick-add line (issue 16), so an activity is two keystrokes and its subject away
    if (e.key === 'a' && !inInput && !e.ctrlKey && !e.metaKey && !e.altKey && !(e.target as HTMLElement).closest('[contenteditable], .kanso-panel-editor')) {
      const line = panel.querySelector<HTMLInputElement>('[data-testid="quick-add-subject"]')
      if (line) { e.preventDefault(); line.focus(); return }
    }
    if (e.key === 'Escape' && !inInput && !e.defaultPrevented) {
      e.preventDefault()
      props.onClose()
      return
    }
    if (!editable || inInput || !(e.ctrlKey || e.metaKey)) return
    const k = e.key.toLowerCase()
    if (k === 'z' && !e.shiftKey) { e.preventDefault(); undo() }
    else if (k === 'y' || (k === 'z' && e.shiftKey)) { e.preventDefault(); store()?.history.redo() }
  }
  // where the keyboard was (the grid's cell, the board's card): it goes back there on close, so
  // Space, Escape, ↓, Space walks a list record by record
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null
  onMount(() => {
    // the keyboard lands in the panel: Escape closes it, Tab walks its fields — unless the member
    // is typing somewhere else meanwhile (Ctrl+K right after opening a search result, while the
    // panel's code was still loading): what they type then belongs there
    requestAnimationFrame(() => {
      if (typingElsewhere(panel)) return
      panel.querySelector<HTMLElement>('.kanso-panel-close')?.focus({ preventScroll: true })
    })
  })
  onCleanup(() => {
    const focus = document.activeElement
    if (opener?.isConnected && !panel.contains(opener) && (!focus || focus === document.body || panel.contains(focus))) opener.focus({ preventScroll: true })
  })

  return (
    <aside class="kanso-record-panel" ref={panel} role="complementary" aria-labelledby="kanso-panel-title" data-testid="record-panel"
      data-entity={entity().key} data-record-id={props.recordId} onKeyDown={onKeyDown}>
      <header class="kanso-panel-head">
        <div class="kanso-panel-heading">
          <span class="kanso-panel-kind">{entity().singular}</span>
          <h2 id="kanso-panel-title" title={title()}>{title()}</h2>
        </div>
        <Show when={canConvert()}>
          <button type="button" onClick={() => setConverting(true)} title="Convert this lead into a contact, a company and a deal (Alt+Shift+C)">Convert…</button>
        </Show>
        <Show when={editable}>
          <button type="button" onClick={undo} title="Undo your last change here (Ctrl+Z)" aria-label="Undo">↶</button>
        </Show>
        <button type="button" class="kanso-panel-close" onClick={() => props.onClose()} aria-label="Close the panel" title="Close (Escape)">✕</button>
      </header>
      <Show when={converted()}>
        {(message) => (
          <div class="kanso-panel-note" role="status">
            {message()} <button type="button" class="kanso-link-button" onClick={undo}>Undo</button>
          </div>
        )}
      </Show>
      <div class="kanso-panel-body">
        <Show when={row()} fallback={
          <p class="kanso-empty-state">{loaded() ? `This ${entity().singular.toLowerCase()} was deleted, or the link is wrong. Close the panel to go back to the list.` : `Loading this ${entity().singular.toLowerCase()}…`}</p>
        }>
          {(r) => (
            <>
              <div class="kanso-panel-fields" role="group" aria-label={`${entity().singular} fields`}>
                <For each={fields()}>
                  {(f) => (
                    <PanelField field={f} row={r()} store={store()!} context={ctx} editable={editable} phoneScheme={props.phoneScheme} redraw={redraw()}
                      onRefusedChanged={() => { props.refused.changed(props.entityId); setRedraw((n) => n + 1) }}
                      onOpenRecord={props.onOpenRecord} recordHref={props.recordHref} onMove={moveFrom} />
                  )}
                </For>
              </div>
              <For each={outbound().filter((o) => linkedIds(r().values[o.field.id]).length)}>
                {(o) => <LinkedRecords relation={o} ids={linkedIds(r().values[o.field.id])} {...props} redraw={redraw()} names={ctx.linkNames} parseContext={ctx.parseContext} />}
              </For>
              <For each={inbound()}>
                {(relation) => relation.source.key === 'deal_lines' && entity().key === 'deals'
                  ? (
                    <section class="kanso-related kanso-related-lines" data-testid="related-deal_lines">
                      <DealLinesPanel session={props.session} schema={props.schema} dealId={props.recordId} members={props.members} refused={props.refused} embedded onClose={() => {}} />
                    </section>
                  )
                  : <RelatedGroup session={props.session} relation={relation} recordId={props.recordId} recordName={title()} members={props.members}
                      editable={editable} locale={locale} onOpenRecord={props.onOpenRecord} recordHref={props.recordHref} parseContext={ctx.parseContext} onShown={groupShown} />}
              </For>
              <HistorySection entity={entity()} row={r()} pipelines={props.schema.pipelines ?? []} members={props.members} locale={locale}
                context={ctx} store={editable ? store() : undefined} api={props.api} synced={synced()} offline={offline()} redraw={redraw()}
                activities={activityRelation() ? {
                  session: props.session, relation: activityRelation()!, editable, onShown: groupShown,
                  href: (id) => props.recordHref(ACTIVITIES, id), onOpen: (id) => props.onOpenRecord(ACTIVITIES, id),
                } : undefined} />
            </>
          )}
        </Show>
      </div>
      <Show when={converting()}>
        <ConvertLeadDialog session={props.session} schema={props.schema} leadId={props.recordId} onClose={() => setConverting(false)}
          onConverted={(message) => setConverted(message)} />
      </Show>
      <Show when={lostReason.request()} keyed>
        {(request) => <LostReasonDialog request={request} />}
      </Show>
    </aside>
  )
}

/** The records this one names in a link field (a contact's company): each opens its panel. */
function LinkedRecords(props: RecordPanelProps & { relation: OutboundRelation; ids: string[]; redraw: number; names: Map<string, Map<string, string>>; parseContext: ParseContext }) {
  const target = () => props.relation.target
  const [stored] = createResource(() => props.session.entity(target().id))
  const describe = (id: string) => {
    void props.redraw
    const r = stored()?.row(id)
    if (r) return { title: recordTitle(target(), r), detail: relatedRowDetail(target(), r, props.parseContext, describeRecord(target(), r, { members: props.members }).detail) }
    return { title: props.names.get(target().id)?.get(id) ?? '…', detail: '' }
  }
  return (
    <section class="kanso-related" data-testid={`linked-${props.relation.field.key}`}>
      <header class="kanso-related-head"><h3>{props.relation.field.label}</h3></header>
      <ul class="kanso-related-list">
        <For each={props.ids}>
          {(id) => (
            <li>
              <a href={props.recordHref(target().id, id)} class="kanso-related-row"
                onClick={(e) => { if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; e.preventDefault(); props.onOpenRecord(target().id, id) }}>
                <span class="kanso-related-title">{describe(id).title}</span>
                <span class="kanso-related-detail">{describe(id).detail}</span>
              </a>
            </li>
          )}
        </For>
      </ul>
    </section>
  )
}
