/// <reference lib="webworker" />
import { exportColumns } from '../../domain/export/exportColumns'
import { XLSX_CONTENT_TYPE } from '../../domain/export/xlsxSheetWriter'
import { writeExport } from '../../domain/export/writeExport'
import type { Row } from '../../domain/schema'
import type { FromExportWorker, ToExportWorker } from './exportMessages'

/*
 * The grid's export, written off the page's thread: the page sends the rows it shows, in order,
 * and this formats them (src/domain/export) into a CSV or XLSX file, telling the page how far it
 * got. One worker per export; it ends with the file as a Blob.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope
let start: Extract<ToExportWorker, { type: 'start' }> | null = null
const rows: Row[] = []
const post = (message: FromExportWorker) => scope.postMessage(message)
// nothing else runs here, and progress messages leave without the worker yielding: a timer turn
// per slice only added its 4 ms clamp
const turn = () => Promise.resolve()

scope.onmessage = (event: MessageEvent<ToExportWorker>) => {
  const message = event.data
  if (message.type === 'start') start = message
  else if (message.type === 'rows') rows.push(...message.rows)
  else void write().catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }))
}

async function write(): Promise<void> {
  if (!start) throw new Error('the export was not started')
  const { entity, fieldIds, parse, format } = start
  const names = new Map(start.linkNames.map(([entityId, pairs]) => [entityId, new Map(pairs)]))
  const byId = new Map(entity.fields.map((f) => [f.id, f]))
  const columns = exportColumns(entity, { parse, linkName: (entityId, id) => names.get(entityId)?.get(id) }, { fields: fieldIds.flatMap((id) => byId.get(id) ?? []) })
  const chunks: Uint8Array[] = []
  let reported = 0
  await writeExport({
    format, columns, rows, sheetName: start.sheetName, turn,
    write: (chunk) => void chunks.push(chunk),
    onProgress: (done, total) => {
      if (done - reported < 1000 && done < total) return
      reported = done
      post({ type: 'progress', done, total })
    },
  })
  const file = new Blob(chunks as BlobPart[], { type: format === 'csv' ? 'text/csv;charset=utf-8' : XLSX_CONTENT_TYPE })
  post({ type: 'done', file })
}
