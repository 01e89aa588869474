import type { EntityStore } from '../../crdt/entityStore'
import { exportFileName, type ExportFormat } from '../../domain/export/writeExport'
import { recordTitle } from '../../domain/recordTitle'
import type { EntityDef, Row, WorkspaceSchema } from '../../domain/schema'
import { backgroundTurn } from '../../sync/backgroundTurn'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import type { GridContext } from '../grid/gridContext'
import type { FromExportWorker, ToExportWorker } from './exportMessages'

/** Rows per message to the worker: cloning 1000 rows takes the page a few ms (tens on a loaded machine). */
const ROWS_PER_MESSAGE = 1000

export interface GridExportRequest {
  format: ExportFormat
  entity: EntityDef
  schema: WorkspaceSchema
  session: WorkspaceSession
  store: EntityStore
  context: GridContext
  /** The rows shown in order and the visible fields in order (EntityGrid.exportView). */
  view: { rowIds: string[]; fieldIds: string[] }
  viewName: string
  /** `done` of `total` steps: the rows sent to the worker, then the rows it has written. */
  onProgress(done: number, total: number): void
}

/**
 * Exports what the grid shows, from this device's rows (so it works offline): the rows go to an
 * export worker a piece at a time, each piece in its own background task, and the worker writes
 * the file (src/domain/export), so no task on the page runs long however many rows there are.
 */
export async function runGridExport(r: GridExportRequest): Promise<{ file: Blob; name: string }> {
  const linkNames = await linkedNames(r)
  const total = r.view.rowIds.length
  const worker = new Worker(new URL('./exportWorker.ts', import.meta.url), { type: 'module', name: 'kanso-export' })
  const send = (message: ToExportWorker) => worker.postMessage(message)
  try {
    const finished = new Promise<Blob>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromExportWorker>) => {
        const message = event.data
        if (message.type === 'progress') r.onProgress(total + message.done, 2 * total)
        else if (message.type === 'done') resolve(message.file)
        else reject(new Error(message.message))
      }
      worker.onerror = (event) => reject(new Error(event.message || 'the export worker failed'))
    })
    const { locale, defaultCountry, workspaceCountry, members, timeZone } = r.context.parseContext
    send({
      type: 'start', format: r.format, entity: r.entity, fieldIds: r.view.fieldIds, sheetName: r.entity.label, linkNames,
      parse: { locale, defaultCountry, workspaceCountry, members: members ?? [], timeZone: timeZone ?? 'UTC' },
    })
    for (let i = 0; i < total; i += ROWS_PER_MESSAGE) {
      const rows: Row[] = []
      for (const id of r.view.rowIds.slice(i, i + ROWS_PER_MESSAGE)) {
        const row = r.store.row(id)
        if (row) rows.push(row)
      }
      send({ type: 'rows', rows })
      r.onProgress(Math.min(total, i + ROWS_PER_MESSAGE), 2 * total)
      await backgroundTurn()
    }
    send({ type: 'end' })
    const file = await finished
    return { file, name: exportFileName(r.entity.key, r.viewName, localDay(), r.format) }
  } finally {
    worker.terminate()
  }
}

/** The names of the records the exported link fields point to: the grid's, else read from the linked list. */
async function linkedNames(r: GridExportRequest): Promise<[string, [string, string][]][]> {
  const targets = new Set(r.view.fieldIds.flatMap((id) => {
    const field = r.entity.fields.find((f) => f.id === id)
    return field?.type === 'link' && field.linkEntity ? [field.linkEntity] : []
  }))
  const out: [string, [string, string][]][] = []
  for (const target of targets) {
    let names = r.context.linkNames.get(target)
    const def = r.schema.entities.find((e) => e.id === target)
    if (!names && def) {
      const store = await r.session.entity(target)
      store.loadRest?.()
      await store.complete
      names = new Map(store.rows().map((row) => [row.id, recordTitle(def, row)]))
    }
    if (names) out.push([target, [...names]])
  }
  return out
}

/** Today on this device's calendar, YYYY-MM-DD. */
function localDay(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}
