import { For, Index, Show, createEffect, createResource, createSignal, on, onCleanup, onMount } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import type { BoardColumn, BoardFilter } from '../../domain/board/boardColumns'
import { boardFieldsOf } from '../../domain/board/boardColumns'
import { focusTarget, moveTarget, visibleWindow, type BoardKey } from '../../domain/board/boardMoves'
import { formatFieldValue } from '../../domain/formatFieldValue'
import { livePipelines, liveStages } from '../../domain/pipelines/pipeline'
import { recordTitle } from '../../domain/recordTitle'
import type { EntityDef, Money, Row, WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { makeStageChanges } from '../grid/stageChanges'
import { ROWS_SHOWN_EVENT } from '../rowsShownEvent'
import type { MemberInfo } from '../session/relayApi'
import { makeBoardStore, type BoardStore } from './makeBoardStore'
import { createLostReasonQuestion } from '../deals/createLostReasonQuestion'
import { LostReasonDialog } from '../deals/LostReasonDialog'
import { undoInView } from '../leads/conversionUndo'
import type { RecordLinks } from '../panel/recordLinks'
import './board.css'

/** Every card is this tall (gap included), so a column renders only the cards in sight. */
export const CARD_HEIGHT = 104
const ARROWS = new Set<string>(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'])

/** The deals of one pipeline as cards in stage columns (issue 14), at /deals/board?pipeline=<id>. */
export function BoardView(props: { session: WorkspaceSession; schema: WorkspaceSchema; entityId: string; members: MemberInfo[]; onShowGrid: () => void; records?: RecordLinks }) {
  const entity = (): EntityDef => props.schema.entities.find((e) => e.id === props.entityId)!
  const [store] = createResource(() => props.session.entity(props.entityId))
  const editable = props.session.member.role !== 'viewer'
  const locale = navigator.language || 'en-US'
  const me = props.session.member.id
  const [pipelineId, setPipelineId] = createSignal(new URLSearchParams(location.search).get('pipeline') ?? undefined)
  const [owner, setOwner] = createSignal('')
  const [text, setText] = createSignal('')
  const filter = (): BoardFilter => ({ owners: owner() ? [owner()] : [], text: text() })
  const memberName = (id: string) => props.members.find((m) => m.id === id)?.name
  const pickPipeline = (id: string) => {
    setPipelineId(id)
    history.replaceState(null, '', `/deals/board?pipeline=${encodeURIComponent(id)}`)
  }

  // a card moved to a lost stage: why, asked in the page; cancelled, the card stays where it was
  const lostReason = createLostReasonQuestion({ entity, rows: () => store()?.rows() ?? [] })
  const [board, setBoard] = createSignal<BoardStore | null>(null)
  const cleanups: (() => void)[] = []
  onCleanup(() => { cleanups.forEach((c) => c()); board()?.destroy() })
  createEffect(on(store, (deals) => {
    if (!deals || board()) return
    const b = makeBoardStore({
      deals, entity, pipelines: () => props.schema.pipelines ?? [], pipelineId, filter, memberName,
      withStageChanges: makeStageChanges({
        entity, pipelines: () => props.schema.pipelines ?? [], row: (id) => deals.row(id), memberId: me,
        askLostReason: lostReason.ask,
      }),
    })
    setBoard(b)
    // names and next activities come after the cards are on screen, not in their way
    const link = (key: string, attach: (s: EntityStore, def: EntityDef) => () => void) => {
      const def = props.schema.entities.find((e) => e.key === key)
      if (!def) return
      void props.session.entity(def.id).then(async (s) => {
        s.loadRest?.()
        await s.complete
        cleanups.push(attach(s, def))
        performance.mark(`kanso:board-linked:${key}`)
      })
    }
    link('companies', b.linkCompanies)
    link('activities', b.linkActivities)
  }))

  // focus: one card is in the tab order (roving focus); arrows move it, Shift+←/→ move the card
  const [focused, setFocused] = createSignal<string | null>(null)
  const scrollers = new Map<number, (index: number) => void>()
  const columns = (): BoardColumn[] => board()?.columns() ?? []
  const positionOf = (id: string) => {
    const cols = columns()
    for (let c = 0; c < cols.length; c++) {
      const index = cols[c]!.rows.findIndex((r) => r.id === id)
      if (index >= 0) return { column: c, index }
    }
    return undefined
  }
  const tabStop = () => focused() ?? columns().find((c) => c.rows.length)?.rows[0]?.id
  let boardEl!: HTMLDivElement
  const focusCard = (id: string) => {
    setFocused(id)
    const at = positionOf(id)
    if (!at) return
    scrollers.get(at.column)?.(at.index)
    requestAnimationFrame(() => boardEl.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(id)}"]`)?.focus())
  }
  const move = (id: string, stageId: string) => {
    const moved = editable ? board()?.move(id, stageId) : false
    if (moved === true) focusCard(id)
    // asked why it was lost: the card has the focus again, moved or (cancelled) where it was
    else if (moved) void moved.then(() => focusCard(id))
  }
  const [menu, setMenu] = createSignal<{ id: string; x: number; y: number } | null>(null)
  const openMenu = (id: string, anchor: HTMLElement) => {
    const r = anchor.getBoundingClientRect()
    setMenu({ id, x: Math.min(r.left, innerWidth - 220), y: Math.min(r.bottom + 4, innerHeight - 300) })
  }
  const onCardKey = (e: KeyboardEvent, row: Row) => {
    const at = positionOf(row.id)
    if (!at) return
    if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault()
      const stage = moveTarget(columns().map((c) => c.stage), at.column, e.key === 'ArrowLeft' ? -1 : 1)
      if (stage) move(row.id, stage.id)
    } else if (ARROWS.has(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault()
      const to = focusTarget(columns().map((c) => c.rows.length), at, e.key as BoardKey)
      const target = to && columns()[to.column]?.rows[to.index]
      if (target) focusCard(target.id)
    } else if (e.key === ' ' && props.records && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Space opens the deal's record panel beside the board (Enter keeps the move menu)
      e.preventDefault()
      props.records.open(props.entityId, row.id)
    } else if ((e.key === 'Enter' || e.key === 'm') && editable) {
      e.preventDefault()
      openMenu(row.id, e.currentTarget as HTMLElement)
    }
  }
  // a lead's conversion made a deal shown here: Ctrl+Z takes the whole conversion back, as in the grid
  const undo = () => {
    const s = store()
    if (s) undoInView(props.session, s)
  }
  const onBoardKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement
    if (!editable || !(e.ctrlKey || e.metaKey) || target.closest('input, select, textarea')) return
    const key = e.key.toLowerCase()
    const s = store()
    if (key === 'z' && !e.shiftKey) { e.preventDefault(); undo() }
    else if (key === 'y' || (key === 'z' && e.shiftKey)) { e.preventDefault(); s?.history.redo() }
  }

  // drag and drop: the card's id travels in the drag; a column under it is marked
  const [dragging, setDragging] = createSignal<string | null>(null)
  const [over, setOver] = createSignal<string | null>(null)

  const fields = () => boardFieldsOf(entity())
  const money = (m: Money) => {
    const f = fields()?.amount
    return f ? formatFieldValue(f, m, { locale }) : ''
  }
  const dayFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' })
  const total = () => columns().reduce((n, c) => n + c.rows.length, 0)
  // as the grid reports its rows shown: after the frame that paints the first cards (or an empty board)
  let shownReported = false
  createEffect(() => {
    if (shownReported || !board() || (total() === 0 && (store()?.count() ?? 0) > 0 && store()?.isLoading?.())) return
    shownReported = true
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark(`kanso:board-shown:${props.entityId}`)
      dispatchEvent(new Event(ROWS_SHOWN_EVENT))
    }, 0))
  })

  const Card = (p: { row: Row; column: number }) => {
    const b = board()!
    const title = () => recordTitle(entity(), p.row)
    const amount = () => {
      const f = fields()?.amount
      const v = f ? p.row.values[f.id] : undefined
      return v && typeof v === 'object' && !Array.isArray(v) ? money(v) : ''
    }
    const ownerName = () => {
      const f = fields()?.owner
      const v = f ? p.row.values[f.id] : undefined
      return typeof v === 'string' ? memberName(v) ?? '' : ''
    }
    const next = () => b.nextActivity(p.row)
    return (
      <div class="kanso-board-card" role="listitem" tabIndex={tabStop() === p.row.id ? 0 : -1} data-card-id={p.row.id}
        aria-label={[title(), b.companyOf(p.row), amount(), ownerName()].filter(Boolean).join(', ')}
        classList={{ 'kanso-board-card-dragging': dragging() === p.row.id }}
        draggable={editable}
        onDragStart={(e) => {
          e.dataTransfer?.setData('text/plain', p.row.id)
          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
          setDragging(p.row.id)
        }}
        onDragEnd={() => { setDragging(null); setOver(null) }}
        onFocus={() => setFocused(p.row.id)}
        onClick={(e) => { if (!(e.target as HTMLElement).closest('button')) props.records?.open(props.entityId, p.row.id) }}
        onKeyDown={(e) => onCardKey(e, p.row)}>
        <div class="kanso-board-card-title" title={title()}>{title()}</div>
        <div class="kanso-board-card-company">{b.companyOf(p.row) ?? ''}</div>
        <div class="kanso-board-card-line">
          <span class="kanso-board-card-amount">{amount()}</span>
          <span class="kanso-board-card-owner">{ownerName()}</span>
        </div>
        <div class="kanso-board-card-next" classList={{ 'kanso-board-card-overdue': !!next() && next()!.due < new Date().toISOString() }}>
          <Show when={next()}>{(a) => <>{dayFormat.format(new Date(a().due))} · {a().subject || 'Activity'}</>}</Show>
        </div>
        <Show when={editable}>
          <button type="button" class="kanso-board-card-menu" tabIndex={-1} aria-label={`Move ${title()} to…`}
            onClick={(e) => { e.stopPropagation(); openMenu(p.row.id, e.currentTarget) }}>⋯</button>
        </Show>
      </div>
    )
  }

  const Column = (p: { column: BoardColumn; index: number }) => {
    const [scrollTop, setScrollTop] = createSignal(0)
    const [height, setHeight] = createSignal(600)
    let body!: HTMLDivElement
    onMount(() => {
      const observer = new ResizeObserver(() => setHeight(body.clientHeight))
      observer.observe(body)
      setHeight(body.clientHeight)
      onCleanup(() => observer.disconnect())
    })
    scrollers.set(p.index, (index) => {
      const top = index * CARD_HEIGHT
      if (top < body.scrollTop) body.scrollTop = top
      else if (top + CARD_HEIGHT > body.scrollTop + body.clientHeight) body.scrollTop = top + CARD_HEIGHT - body.clientHeight
      setScrollTop(body.scrollTop)
    })
    onCleanup(() => scrollers.delete(p.index))
    const range = () => visibleWindow(scrollTop(), height(), CARD_HEIGHT, p.column.rows.length)
    const shown = () => { const r = range(); return p.column.rows.slice(r.start, r.end) }
    return (
      <section class="kanso-board-column" aria-label={p.column.stage.name} data-stage-id={p.column.stage.id}
        classList={{ 'kanso-board-column-over': over() === p.column.stage.id, [`kanso-board-kind-${p.column.stage.kind}`]: true }}
        onDragOver={(e) => { if (!dragging()) return; e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'move'; setOver(p.column.stage.id) }}
        onDragLeave={(e) => { if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) setOver(null) }}
        onDrop={(e) => {
          e.preventDefault()
          const id = dragging() ?? e.dataTransfer?.getData('text/plain')
          setDragging(null)
          setOver(null)
          if (id) move(id, p.column.stage.id)
        }}>
        <header class="kanso-board-column-head">
          <div class="kanso-board-column-name">{p.column.stage.name}<span class="kanso-board-column-count" data-testid="column-count">{p.column.rows.length.toLocaleString(locale)}</span></div>
          <div class="kanso-board-column-sum" data-testid="column-sum">{p.column.sums.map(money).join(' · ') || '—'}</div>
        </header>
        <div class="kanso-board-column-body" ref={body} role="list" aria-label={`${p.column.stage.name} deals`} onScroll={() => setScrollTop(body.scrollTop)}>
          <Show when={p.column.rows.length} fallback={<div class="kanso-board-column-empty">{editable ? 'Drag a deal here' : 'No deals'}</div>}>
            <div style={{ height: `${p.column.rows.length * CARD_HEIGHT}px`, position: 'relative' }}>
              <div style={{ transform: `translateY(${range().start * CARD_HEIGHT}px)` }}>
                <For each={shown()}>{(row) => <Card row={row} column={p.index} />}</For>
              </div>
            </div>
          </Show>
        </div>
      </section>
    )
  }

  const menuRow = () => { const m = menu(); return m ? store()?.row(m.id) : undefined }
  return (
    <section class="kanso-board-view" aria-label={`${entity().label} board`} onKeyDown={onBoardKey}>
      <div class="kanso-toolbar" role="toolbar" aria-label="Board tools">
        <label class="kanso-board-field">Pipeline
          <select aria-label="Pipeline" value={board()?.pipeline()?.id ?? ''} onChange={(e) => pickPipeline(e.currentTarget.value)}>
            <For each={livePipelines(props.schema.pipelines ?? [])}>{(p) => <option value={p.id}>{p.name}</option>}</For>
          </select>
        </label>
        <label class="kanso-board-field">Owner
          <select aria-label="Owner" value={owner()} onChange={(e) => setOwner(e.currentTarget.value)}>
            <option value="">Everyone</option>
            <For each={props.members.filter((m) => !m.revokedAt)}>{(m) => <option value={m.id}>{m.name}</option>}</For>
          </select>
        </label>
        <button type="button" aria-pressed={owner() === me} onClick={() => setOwner(owner() === me ? '' : me)} title="Only the deals you own">Mine</button>
        <input type="search" class="kanso-search" placeholder="Search deals…" aria-label="Search the board" onInput={(e) => setText(e.currentTarget.value)} />
        <Show when={editable}>
          <button type="button" onClick={undo} title="Undo your last change (Ctrl+Z)" aria-label="Undo">↶</button>
          <button type="button" onClick={() => store()?.history.redo()} title="Redo (Ctrl+Y)" aria-label="Redo">↷</button>
        </Show>
        <span class="kanso-count" data-testid="board-count">{total().toLocaleString(locale)} {total() === 1 ? entity().singular.toLowerCase() : entity().label.toLowerCase()}</span>
      </div>
      <Show when={board()} fallback={<div class="kanso-empty-state">Loading {entity().label.toLowerCase()}…</div>}>
        <Show when={columns().length} fallback={<div class="kanso-empty-state">This pipeline has no stages yet. An admin adds them in Settings → Pipelines.</div>}>
          <Show when={total() === 0 && !text().trim() && !owner()}>
            <div class="kanso-board-hint" role="status">No deals in this pipeline yet. <button type="button" class="kanso-link-button" onClick={() => props.onShowGrid()}>Add one in the grid</button></div>
          </Show>
          <div class="kanso-board" ref={boardEl} data-testid="board">
            {/* by position: a patch regroups the columns, and a column keeps its element and scroll */}
            <Index each={columns()}>{(column, i) => <Column column={column()} index={i} />}</Index>
          </div>
        </Show>
      </Show>
      <Show when={menu() && menuRow()}>
        {(row) => (
          <>
            <div class="kanso-board-menu-backdrop" onClick={() => setMenu(null)} />
            <div class="kanso-popover" role="menu" aria-label={`Move ${recordTitle(entity(), row())} to`} style={{ left: `${menu()!.x}px`, top: `${menu()!.y}px` }}
              onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); const id = menu()!.id; setMenu(null); focusCard(id) } }}
              ref={(el) => requestAnimationFrame(() => el.querySelector<HTMLElement>('button:not([disabled])')?.focus())}>
              <div class="kanso-menu-title">Move to…</div>
              <For each={board()?.pipeline() ? liveStages(board()!.pipeline()!) : []}>
                {(stage) => (
                  <button type="button" role="menuitem" disabled={row().values[fields()!.stage.id] === stage.id}
                    onClick={() => { const id = row().id; setMenu(null); move(id, stage.id) }}>{stage.name}</button>
                )}
              </For>
            </div>
          </>
        )}
      </Show>
      <Show when={lostReason.request()} keyed>
        {(request) => <LostReasonDialog request={request} />}
      </Show>
    </section>
  )
}
