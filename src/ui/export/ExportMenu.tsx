import { Show, createSignal, onCleanup } from 'solid-js'
import type { ExportFormat } from '../../domain/export/writeExport'
import type { GridExportRequest } from './runGridExport'

type Source = Omit<GridExportRequest, 'format' | 'view' | 'onProgress'>

/**
 * The toolbar's "Export ▾": the grid as it is shown — the view's filters, the search, the sort
 * and the visible columns in their order — as a CSV or an XLSX file, made on this device
 * (offline too) in a worker with a progress bar, then downloaded.
 */
export function ExportMenu(props: {
  /** The grid's rows and columns to export, once every row is in; null while there is no grid. */
  view: () => Promise<GridExportRequest['view']> | null
  source: () => Source | null
}) {
  const [open, setOpen] = createSignal(false)
  const [progress, setProgress] = createSignal<{ done: number; total: number } | null>(null)
  const [failure, setFailure] = createSignal<string | null>(null)
  let urls: string[] = []
  onCleanup(() => urls.forEach((url) => URL.revokeObjectURL(url)))

  const run = async (format: ExportFormat) => {
    setOpen(false)
    setFailure(null)
    const source = props.source()
    const viewing = props.view()
    if (!source || !viewing) return
    setProgress({ done: 0, total: 1 })
    try {
      // the module is fetched on first use: the grid's first paint never waits for it
      const { runGridExport } = await import('./runGridExport')
      const view = await viewing
      const { file, name } = await runGridExport({ ...source, format, view, onProgress: (done, total) => setProgress({ done, total }) })
      const url = URL.createObjectURL(file)
      urls.push(url)
      const link = document.createElement('a')
      link.href = url
      link.download = name
      link.click()
      // the download has its own copy once started; the URL is let go a minute later
      setTimeout(() => { URL.revokeObjectURL(url); urls = urls.filter((u) => u !== url) }, 60_000)
    } catch (error) {
      // a boundary: the member is told, the grid goes on
      setFailure(`The export failed: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      setProgress(null)
    }
  }

  return (
    <div class="kanso-columns kanso-export">
      <button type="button" onClick={() => setOpen(!open())} aria-expanded={open()} aria-haspopup="menu" disabled={progress() !== null}
        title="Download the rows and columns shown, as a spreadsheet">Export ▾</button>
      <Show when={open()}>
        <div class="kanso-popover kanso-columns-list" role="menu">
          <button type="button" role="menuitem" onClick={() => void run('csv')}>CSV (.csv)</button>
          <button type="button" role="menuitem" onClick={() => void run('xlsx')}>Excel (.xlsx)</button>
        </div>
      </Show>
      <Show when={progress()}>
        {(p) => (
          <span class="kanso-progress" role="status" data-testid="export-progress">
            Exporting… <progress max={p().total} value={p().done} aria-label="Export progress" />
          </span>
        )}
      </Show>
      <Show when={failure()}>
        <span class="kanso-refusal" role="alert">{failure()}</span>
      </Show>
    </div>
  )
}
