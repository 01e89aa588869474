// The bench's floor page (see bench/README.md, "The floor page"): the app's AG Grid — the same
// modules, theme, options and columns — fed the same rows from the same store, and nothing else.
// B1, B2 and B7 divide the app's open by this page's, measured in the same repetition.
//
// URL: floor.html?from=stored|relay&entity=<id>&width=<px>&height=<px>#token=<token>
//   stored: this device's row snapshot in IndexedDB (`kanso:meta`, as the app stored it) and its
//           cached schema (localStorage `kanso:schema`)
//   relay:  GET /api/snapshots/<entity> and GET /api/schema, as on a first visit
import { createGrid, type IDatasource } from 'ag-grid-community'
import type { EntityDef, FieldDef, FieldValue, Row, WorkspaceSchema } from '../../src/domain/schema'
import { decodeRows } from '../../src/sync/bootSnapshot'
import { openKeyValueStore } from '../../src/sync/keyValueStore'
import { isRowSnapshot, isRowSnapshotHead, snapshotHeadKey } from '../../src/sync/workerProtocol'
import { entityGridBaseOptions } from '../../src/ui/grid/entityGridBase'
import { fieldColumns } from '../../src/ui/grid/fieldColumns'
import type { GridContext } from '../../src/ui/grid/gridContext'
import { FLOOR_EDIT_MARK } from './floorMarks'

/** The first rows to show, how many rows there are, and (when more are needed) all of them. */
interface FloorRows { first: Row[]; total: number; all: () => Promise<Row[]> }

class FloorPageError extends Error {
  constructor(readonly reason: string) {
    super(`floor page: ${reason}`)
  }
}

const params = new URLSearchParams(location.search)
const from = params.get('from')
const entityId = params.get('entity') ?? 'contacts'
const token = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1]

/** This device's snapshot: its head (first rows and count, stored beside it) if there is one, as the app reads it. */
async function storedRows(): Promise<FloorRows> {
  const meta = openKeyValueStore('kanso:meta')
  const whole = async () => {
    const s = await meta.get('snapshots', entityId)
    if (!isRowSnapshot(s)) throw new FloorPageError(`no stored snapshot of ${entityId} in IndexedDB kanso:meta`)
    return decodeRows<Row[]>(s.bytes)
  }
  const head = await meta.get('snapshots', snapshotHeadKey(entityId))
  if (isRowSnapshotHead(head)) return { first: decodeRows<Row[]>(head.bytes), total: head.total, all: whole }
  const rows = await whole()
  return { first: rows, total: rows.length, all: () => Promise.resolve(rows) }
}

const authorized = () => ({ headers: { Authorization: `Bearer ${decodeURIComponent(token ?? '')}` } })

/** The relay's snapshot, as a first visit gets it. */
async function relayRows(): Promise<FloorRows> {
  const res = await fetch(`/api/snapshots/${encodeURIComponent(entityId)}`, authorized())
  if (!res.ok) throw new FloorPageError(`GET /api/snapshots/${entityId} answered ${res.status}`)
  const rows = decodeRows<Row[]>(new Uint8Array(await res.arrayBuffer()))
  return { first: rows, total: rows.length, all: () => Promise.resolve(rows) }
}

async function schemaEntity(): Promise<EntityDef> {
  let schema: WorkspaceSchema | null
  if (from === 'stored') {
    schema = JSON.parse(localStorage.getItem('kanso:schema') ?? 'null') as WorkspaceSchema | null
  } else {
    const res = await fetch('/api/schema', authorized())
    if (!res.ok) throw new FloorPageError(`GET /api/schema answered ${res.status}`)
    schema = (await res.json()) as WorkspaceSchema
  }
  const entity = schema?.entities.find((e) => e.id === entityId)
  if (!entity) throw new FloorPageError(`no schema for ${entityId} (${from === 'stored' ? 'localStorage kanso:schema' : 'GET /api/schema'})`)
  return entity
}

function sizeContainer(container: HTMLElement): void {
  const width = Number(params.get('width'))
  const height = Number(params.get('height'))
  container.style.width = width > 0 ? `${width}px` : '100vw'
  container.style.height = height > 0 ? `${height}px` : '100vh'
}

async function showFloor(): Promise<void> {
  if (from !== 'stored' && from !== 'relay') throw new FloorPageError(`?from= must be "stored" or "relay", not ${from}`)
  const container = document.getElementById('grid')!
  sizeContainer(container)
  const [entity, rows] = await Promise.all([schemaEntity(), from === 'stored' ? storedRows() : relayRows()])
  // what the app's grid gets at its first paint: no members or linked names known yet
  const context: GridContext = {
    parseContext: { locale: navigator.language || 'en-US' },
    refused: new Map(),
    presence: new Map(),
    linkNames: new Map(),
  }
  const datasource: IDatasource = {
    getRows(p) {
      if (p.endRow <= rows.first.length || rows.first.length === rows.total) {
        p.successCallback(rows.first.slice(p.startRow, p.endRow), rows.total)
        return
      }
      void rows.all().then((all) => p.successCallback(all.slice(p.startRow, p.endRow), all.length), p.failCallback)
    },
  }
  // an edit goes into the grid's row, nothing stored: the mark says the grid took it
  const applyEdit = (row: Row, field: FieldDef, raw: unknown) => {
    api.getRowNode(row.id)?.updateData({ ...row, values: { ...row.values, [field.id]: raw as FieldValue } })
    if (!performance.getEntriesByName(FLOOR_EDIT_MARK).length) performance.mark(FLOOR_EDIT_MARK)
  }
  const api = createGrid(container, {
    ...entityGridBaseOptions(),
    columnDefs: fieldColumns(entity, context, { editable: true, openFieldMenu: () => {}, commitEdit: applyEdit }),
    datasource,
  })
}

// A boundary: the bench reads the reason (document.body.dataset.failed) and fails the repetition with it.
showFloor().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  document.body.dataset.failed = message
  console.error(message)
})
