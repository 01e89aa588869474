import { For, Show, createMemo, createResource, createSignal, onCleanup } from 'solid-js'
import type { EntityStore } from '../../crdt/entityStore'
import { dealLineFieldIds, dealLineInputs, lineDealId } from '../../domain/deals/dealLineInputs'
import { dealTotals } from '../../domain/deals/dealTotals'
import { stockWarnings } from '../../domain/deals/stockWarnings'
import { recordTitle } from '../../domain/recordTitle'
import { fieldByKey, findEntity, type FieldValue, type Row, type WorkspaceSchema } from '../../domain/schema'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { GridView } from '../GridView'
import type { RefusedInputs } from '../grid/refusedInputs'
import type { MemberInfo } from '../session/relayApi'
import { DealTotalsList } from './DealTotalsList'
import { DealDocumentsList } from './DealDocumentsList'
import './dealLines.css'

/**
 * A deal's lines below the deals grid: the lines as the same entity grid filtered to the deal
 * (a new row belongs to it), a product picker that fills a new line from the catalog (or takes
 * free text), the totals as dealTotals adds them up from this device's copy of the lines — live,
 * before the relay writes the deal's amount — and the stock of the products on the lines.
 */
export function DealLinesPanel(props: { session: WorkspaceSession; schema: WorkspaceSchema; dealId: string; members: MemberInfo[]; refused: RefusedInputs; onClose: () => void; embedded?: boolean }) {
  const linesDef = findEntity(props.schema, 'deal_lines')!
  const dealsDef = findEntity(props.schema, 'deals')!
  const productsDef = findEntity(props.schema, 'products')
  const ids = dealLineFieldIds(linesDef)
  const locale = navigator.language || 'en-US'
  const editable = props.session.member.role !== 'viewer'
  // bumped by every change of the lines, the deals or the products: the totals and stock read again
  const [tick, setTick] = createSignal(0)
  const watch = async (entityId: string) => {
    const store = await props.session.entity(entityId)
    store.loadRest?.()
    await store.complete
    onCleanup(store.subscribe(() => setTick((n) => n + 1)))
    setTick((n) => n + 1)
    return store
  }
  const [lines] = createResource(() => watch(linesDef.id))
  const [deals] = createResource(() => watch(dealsDef.id))
  const [products] = createResource(() => (productsDef ? watch(productsDef.id) : Promise.resolve(undefined)))

  const deal = (): Row | undefined => (tick(), deals()?.row(props.dealId))
  const dealLines = createMemo((): Row[] => {
    tick()
    const store = lines()
    return store ? store.rows().filter((r) => lineDealId(r, ids.deal) === props.dealId) : []
  })
  const currency = () => {
    const field = fieldByKey(dealsDef, 'currency')
    const value = field ? deal()?.values[field.id] : undefined
    return typeof value === 'string' && value ? value : undefined
  }
  const totals = createMemo(() => dealTotals(dealLineInputs(linesDef, dealLines()), currency()))

  const productRows = (): Row[] => (tick(), products()?.rows() ?? [])
  const productName = (row: Row) => (productsDef ? recordTitle(productsDef, row) : '')
  const warnings = createMemo(() => {
    const store = products()
    return productsDef && store ? stockWarnings({ entity: linesDef, rows: dealLines() }, { entity: productsDef, row: (id) => store.row(id) }) : []
  })
  // each product on the deal's lines with its stock, so a salesperson sees it before promising
  const stockOfLines = createMemo(() => {
    const store = products()
    const stockField = productsDef && fieldByKey(productsDef, 'stock')?.id
    if (!store || !stockField || !ids.product) return []
    const seen = new Map<string, { name: string; stock: number; short: boolean }>()
    for (const line of dealLines()) {
      const id = line.values[ids.product]
      const product = typeof id === 'string' ? store.row(id) : undefined
      const stock = product?.values[stockField]
      if (!product || typeof stock !== 'number' || seen.has(product.id)) continue
      seen.set(product.id, { name: productName(product), stock, short: warnings().some((w) => w.productId === product.id) })
    }
    return [...seen.values()]
  })

  let picker!: HTMLInputElement
  const addLine = (store: EntityStore) => {
    const text = picker.value.trim()
    const product = productRows().find((p) => productName(p).toLocaleLowerCase() === text.toLocaleLowerCase())
    const values: Record<string, FieldValue> = {}
    const set = (key: keyof typeof ids, value: FieldValue | undefined) => {
      const id = ids[key]
      if (id && value !== undefined && value !== null) values[id] = value
    }
    set('deal', props.dealId)
    set('quantity', 1)
    if (product && productsDef) {
      const of = (key: string) => {
        const field = fieldByKey(productsDef, key)
        return field ? product.values[field.id] : undefined
      }
      set('product', product.id)
      set('name', productName(product))
      set('unit_price', of('price'))
      set('unit', of('unit'))
      set('tax_pct', of('tax_rate'))
    } else {
      set('name', text || undefined)
    }
    store.createRecord(values)
    picker.value = ''
    picker.focus()
  }

  const listId = `kanso-products-${props.dealId}`
  return (
    <section class="kanso-deal-lines" classList={{ 'kanso-deal-lines-embedded': props.embedded }} aria-label="Deal lines" data-testid="deal-lines">
      <header class="kanso-deal-lines-head">
        {/* in a deal's record panel the deal is the panel's title */}
        <h2>{props.embedded ? 'Lines' : <>Lines of “{deal() ? recordTitle(dealsDef, deal()!) : '…'}”</>}</h2>
        <Show when={editable && lines()}>
          {(store) => (
            <form class="kanso-deal-lines-add" onSubmit={(e) => { e.preventDefault(); addLine(store()) }}>
              <input ref={picker} list={listId} placeholder="Product or free text…" aria-label="Product or free text for a new line" />
              <datalist id={listId}>
                <For each={productRows()}>{(p) => <option value={productName(p)} />}</For>
              </datalist>
              <button type="submit" class="kanso-primary">+ Add line</button>
            </form>
          )}
        </Show>
        <Show when={!props.embedded}>
          <button type="button" class="kanso-link-button" onClick={() => props.onClose()} aria-label="Close the lines">✕</button>
        </Show>
      </header>
      <div class="kanso-deal-lines-body">
        <div class="kanso-deal-lines-grid">
          <GridView session={props.session} schema={props.schema} entityId={linesDef.id} members={props.members} refused={props.refused}
            only={{
              filter: (row) => lineDealId(row, ids.deal) === props.dealId,
              newRowValues: () => (ids.deal ? { [ids.deal]: props.dealId, ...(ids.quantity ? { [ids.quantity]: 1 } : {}) } : {}),
              // every line here is this deal's: its Deal column would repeat the panel's title (the full deal_lines list keeps it)
              hiddenFields: ids.deal ? [ids.deal] : [],
            }} />
        </div>
        <aside class="kanso-deal-totals" aria-label="Deal totals" data-testid="deal-totals">
          <Show when={totals().ok ? totals() : null} fallback={<p class="kanso-deal-totals-error" role="alert">Not added up: {(totals() as { reason: string }).reason}</p>}>
            {(ok) => <DealTotalsList totals={(ok() as Extract<ReturnType<typeof dealTotals>, { ok: true }>).totals} locale={locale} />}
          </Show>
          <Show when={stockOfLines().length}>
            <ul class="kanso-deal-stock" aria-label="Stock of the products on the lines">
              <For each={stockOfLines()}>
                {(s) => <li classList={{ 'kanso-deal-stock-short': s.short }}>{s.short ? '⚠ ' : ''}{s.name}: {s.stock.toLocaleString(locale)} in stock</li>}
              </For>
            </ul>
          </Show>
          <For each={warnings().filter((w, i, all) => all.findIndex((o) => o.productId === w.productId) === i)}>
            {(w) => <p class="kanso-deal-stock-warning" role="status" data-testid="stock-warning">{w.message}</p>}
          </For>
          <Show when={dealLines().length === 0}>
            <p class="kanso-hint">No lines yet: pick a product or type a line above. The deal's amount follows its lines.</p>
          </Show>
          <DealDocumentsList dealId={props.dealId} deal={deal()} members={props.members} />
        </aside>
      </div>
    </section>
  )
}
