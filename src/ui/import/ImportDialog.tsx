import { For, Show, createSignal, onCleanup, onMount } from 'solid-js'
import { guessFieldType } from '../../domain/import/guessFieldType'
import { matchImportColumns } from '../../domain/import/matchImportColumns'
import { DEDUPE_BY, type DedupeBy, type OnDuplicate } from '../../domain/import/planImportRow'
import { explicitMapping } from '../../domain/import/rememberedMapping'
import type { RefusedImportRow } from '../../domain/import/refusedRowsCsv'
import { liveFields, type EntityDef, type FieldDef, type FieldType, type WorkspaceSchema } from '../../domain/schema'
import type { ImportHandle } from '../../sync/importClient'
import type { ImportCounts, ImportEvent, ImportFileKind, ImportPreviewRow, ImportResult } from '../../sync/importJob'
import type { WorkspaceSession } from '../../sync/workspaceSession'
import { displayValue } from '../grid/displayValue'
import type { GridContext } from '../grid/gridContext'
import { keepFocusIn } from '../keepFocusIn'
import './import.css'

/** A column's choice on the mapping screen: a field's id, left out, or a new custom field of a type. */
type Choice = { kind: 'field'; fieldId: string } | { kind: 'skip' } | { kind: 'new'; type: FieldType }

/** Types a new custom field may get here (a select needs its options, a link its list: made in the grid). */
const NEW_FIELD_TYPES: { type: FieldType; label: string }[] = [
  { type: 'text', label: 'Text' }, { type: 'longText', label: 'Long text' }, { type: 'number', label: 'Number' },
  { type: 'money', label: 'Money' }, { type: 'date', label: 'Date' }, { type: 'dateTime', label: 'Date and time' },
  { type: 'checkbox', label: 'Checkbox' }, { type: 'email', label: 'Email' }, { type: 'phone', label: 'Phone' }, { type: 'url', label: 'URL' },
]
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const DEDUPE_LABEL: Record<DedupeBy, string> = { email: 'email', phone: 'phone number', name: 'name' }

type Step =
  | { kind: 'choose' }
  | { kind: 'reading'; phase: 'header' | 'plan' }
  | { kind: 'mapping' }
  | { kind: 'preview'; counts: ImportCounts; preview: ImportPreviewRow[]; refused: RefusedImportRow[] }
  | { kind: 'writing' }
  | { kind: 'done'; result: ImportResult }

export interface ImportDialogProps {
  session: WorkspaceSession
  schema: WorkspaceSchema
  entity: EntityDef
  context: GridContext
  locale: string
  onClose: () => void
  /** Takes back the import (the grid's Ctrl+Z: the whole import is one step). */
  onUndo: () => void
}

/**
 * "Import…" of a list: a CSV or XLSX file is chosen (or dropped), its columns mapped to fields
 * (remembered per file header for the workspace; an unmapped column may become a new custom
 * field of a guessed type), every row read in the workspace worker for a preview with counts and
 * each refused row's reasons, then written in batches with a progress bar and Cancel. The whole
 * import is one undo step (Undo import here, or Ctrl+Z in the grid); refused rows download as a
 * CSV with an Errors column to fix and import again.
 */
export function ImportDialog(props: ImportDialogProps) {
  const [step, setStep] = createSignal<Step>({ kind: 'choose' })
  const [error, setError] = createSignal<string | null>(null)
  const [progress, setProgress] = createSignal<{ done: number; total: number } | null>(null)
  const [fileName, setFileName] = createSignal('')
  const [header, setHeader] = createSignal<string[]>([])
  const [samples, setSamples] = createSignal<string[][]>([])
  const [readAs, setReadAs] = createSignal('')
  const [choices, setChoices] = createSignal<Choice[]>([])
  const [remembered, setRemembered] = createSignal(false)
  const [dedupe, setDedupe] = createSignal<DedupeBy | ''>('')
  const [onDuplicate, setOnDuplicate] = createSignal<OnDuplicate>('skip')
  const [refusedUrl, setRefusedUrl] = createSignal<string | null>(null)
  const [dragging, setDragging] = createSignal(false)
  let handle: ImportHandle | null = null
  let dialog!: HTMLDivElement
  let fileInput!: HTMLInputElement
  const entity = () => props.session.schema.read().entities.find((e) => e.id === props.entity.id) ?? props.entity
  const fields = () => liveFields(entity())
  const dedupeChoices = () => DEDUPE_BY.filter((by) => by === 'name' || fields().some((f) => f.type === by))
  const number = (n: number) => n.toLocaleString(props.locale)
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
  onMount(() => dialog.focus())
  onCleanup(() => {
    handle?.drop()
    const url = refusedUrl()
    if (url) URL.revokeObjectURL(url)
    if (before?.isConnected) before.focus()
  })

  const onEvent = (event: ImportEvent) => {
    switch (event.kind) {
      case 'header': {
        setHeader(event.header)
        setSamples(event.samples)
        setReadAs([event.encoding?.toUpperCase(), event.delimiter === null ? null : `${delimiterName(event.delimiter)}-separated`].filter(Boolean).join(', '))
        startMapping(event.header, event.samples)
        break
      }
      case 'progress':
        setProgress({ done: event.done, total: event.total })
        break
      case 'planned': {
        setProgress(null)
        const old = refusedUrl()
        if (old) URL.revokeObjectURL(old)
        setRefusedUrl(event.refusedCsv ? URL.createObjectURL(event.refusedCsv) : null)
        setStep({ kind: 'preview', counts: event.counts, preview: event.preview, refused: event.refused })
        break
      }
      case 'finished':
        setProgress(null)
        setStep({ kind: 'done', result: event.result })
        break
      case 'failed':
        setProgress(null)
        setError(event.message)
        setStep(header().length ? { kind: 'mapping' } : { kind: 'choose' })
        break
    }
  }

  const choose = (file: File | undefined) => {
    if (!file) return
    setError(null)
    handle?.drop()
    const kind: ImportFileKind = file.type === XLSX_TYPE || /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv'
    setFileName(file.name)
    setStep({ kind: 'reading', phase: 'header' })
    handle = props.session.imports.start(file, kind, onEvent)
  }

  /** Each column's field: the mapping remembered for this header, else matched by label and API key. */
  const startMapping = (columns: string[], rows: string[][]) => {
    const stored = props.session.schema.importMapping(entity().id, columns)
    setRemembered(stored !== undefined)
    const matched = matchImportColumns(entity(), columns, explicitMapping(columns, stored))
    const byColumn = matched.ok ? matched.columns : columns.map(() => null)
    setChoices(byColumn.map((f) => (f ? { kind: 'field', fieldId: f.id } : { kind: 'skip' })))
    setSamples(rows)
    const emailField = fields().some((f) => f.type === 'email')
    setDedupe(emailField && byColumn.some((f) => f?.type === 'email') ? 'email' : '')
    setStep({ kind: 'mapping' })
  }

  const columnSamples = (i: number) => samples().map((r) => r[i] ?? '')
  const setChoice = (i: number, value: string) => {
    const next = [...choices()]
    if (value === '') next[i] = { kind: 'skip' }
    else if (value === 'new') next[i] = { kind: 'new', type: guessFieldType(columnSamples(i), props.context.parseContext) }
    else {
      // a field is filled by one column: the column that had it lets it go
      next.forEach((c, k) => { if (k !== i && c.kind === 'field' && c.fieldId === value) next[k] = { kind: 'skip' } })
      next[i] = { kind: 'field', fieldId: value }
    }
    setChoices(next)
  }
  const setNewType = (i: number, type: FieldType) => setChoices(choices().map((c, k) => (k === i && c.kind === 'new' ? { kind: 'new', type } : c)))
  const mappedCount = () => choices().filter((c) => c.kind !== 'skip').length

  /** New custom fields are made, the mapping remembered, and every row read in the worker. */
  const preview = () => {
    setError(null)
    const columns = header()
    const made: (FieldDef | null)[] = []
    try {
      choices().forEach((c, i) => {
        if (c.kind !== 'new') return
        made[i] = props.session.schema.addField(entity().id, { label: columns[i]!.trim() || `Column ${i + 1}`, type: c.type })
      })
    } catch (e) {
      setError(`Could not add the new field: ${(e as Error).message}`)
      return
    }
    const current = entity()
    const ids = choices().map((c, i) => (c.kind === 'field' ? c.fieldId : c.kind === 'new' ? made[i]!.id : null))
    setChoices(ids.map((id) => (id ? { kind: 'field', fieldId: id } : { kind: 'skip' })))
    const keyOf = (id: string | null) => (id ? current.fields.find((f) => f.id === id)?.key ?? null : null)
    props.session.schema.rememberImportMapping(current.id, columns, ids.map(keyOf))
    const parse = props.context.parseContext
    setStep({ kind: 'reading', phase: 'plan' })
    handle?.plan({
      entity: current,
      linkTargets: props.session.schema.read().entities.filter((e) => current.fields.some((f) => f.type === 'link' && f.linkEntity === e.id)),
      columns: ids,
      parse: { locale: parse.locale, timeZone: parse.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, defaultCountry: parse.defaultCountry, workspaceCountry: parse.workspaceCountry, members: parse.members ?? [] },
      dedupe: dedupe() || undefined,
      onDuplicate: onDuplicate(),
    })
  }

  const run = () => {
    setStep({ kind: 'writing' })
    handle?.run()
  }

  const previewFields = () => choices().flatMap((c) => (c.kind === 'field' ? entity().fields.filter((f) => f.id === c.fieldId) : []))
  const percent = () => {
    const p = progress()
    return p && p.total > 0 ? Math.round((p.done / p.total) * 100) : 0
  }
  const busy = () => step().kind === 'reading' || step().kind === 'writing'
  const close = () => {
    if (step().kind === 'writing') return
    props.onClose()
  }

  return (
    <div class="kanso-modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget && !busy()) close() }}>
      <div class="kanso-modal kanso-import-dialog" role="dialog" aria-modal="true" aria-labelledby="kanso-import-title" tabindex="-1" ref={dialog}
        data-testid="import-dialog" onKeyDown={(e) => { if (e.key === 'Escape') close(); keepFocusIn(dialog, e) }}>
        <div class="kanso-import-head">
          <h2 id="kanso-import-title">Import {entity().label.toLowerCase()}</h2>
          <Show when={fileName()}>
            <span class="kanso-import-file" title={readAs()}>{fileName()}<Show when={readAs()}> · {readAs()}</Show></span>
          </Show>
          <ol class="kanso-import-steps" aria-label="Steps">
            <For each={['File', 'Columns', 'Preview', 'Import']}>
              {(label, i) => <li classList={{ current: stepIndex(step()) === i(), done: stepIndex(step()) > i() }}>{label}</li>}
            </For>
          </ol>
        </div>
        <Show when={error()}>
          <div class="kanso-refusal" role="alert" data-testid="import-error">{error()}</div>
        </Show>

        <Show when={step().kind === 'choose'}>
          <div class={`kanso-import-drop${dragging() ? ' dragging' : ''}`} data-testid="import-drop"
            onDragOver={(e) => { e.preventDefault(); setDragging(true) }} onDragLeave={() => setDragging(false)}
            onDrop={(e) => { e.preventDefault(); setDragging(false); choose(e.dataTransfer?.files[0]) }}>
            <p><strong>Drop a CSV or Excel (.xlsx) file here</strong></p>
            <p class="kanso-muted">or</p>
            <button type="button" class="kanso-primary" onClick={() => fileInput.click()}>Choose a file…</button>
            <input type="file" ref={fileInput} hidden data-testid="import-file" accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => choose(e.currentTarget.files?.[0])} />
            <p class="kanso-hint">The first row names the columns. Encoding (UTF-8, UTF-16, Windows-1251, Shift_JIS) and separator (comma, semicolon, tab, |) are detected. No row limit.</p>
          </div>
        </Show>

        <Show when={step().kind === 'reading'}>
          <div class="kanso-import-progress" role="status" data-testid="import-reading">
            <p>{(step() as { phase: string }).phase === 'header' ? 'Reading the file…' : 'Checking every row…'}</p>
            <progress max={100} value={percent()} data-testid="import-progress" />
            <span class="kanso-muted">{percent()}%</span>
            <Show when={(step() as { phase: string }).phase === 'plan'}>
              <button type="button" onClick={() => { handle?.cancel(); setProgress(null); setStep({ kind: 'mapping' }) }}>Cancel</button>
            </Show>
          </div>
        </Show>

        <Show when={step().kind === 'mapping'}>
          <p class="kanso-import-lead">
            {header().length} columns. Choose the field each one fills.
            <Show when={remembered()}> <span class="kanso-import-remembered" data-testid="import-remembered">Mapping remembered from the last file with these columns.</span></Show>
          </p>
          <div class="kanso-import-table-wrap">
            <table class="kanso-import-mapping" data-testid="import-mapping">
              <thead><tr><th>Column in the file</th><th>Example values</th><th>Imports into</th></tr></thead>
              <tbody>
                <For each={header()}>
                  {(column, i) => {
                    const choice = () => choices()[i()] ?? { kind: 'skip' }
                    return (
                      <tr classList={{ skipped: choice().kind === 'skip' }}>
                        <th scope="row">{column || <span class="kanso-muted">(no name)</span>}</th>
                        <td class="kanso-import-examples">{columnSamples(i()).filter((v) => v.trim()).slice(0, 3).join(' · ') || <span class="kanso-muted">(empty)</span>}</td>
                        <td>
                          <div class="kanso-import-pick">
                            <select aria-label={`Field for column ${column}`} data-column={column}
                              value={choice().kind === 'field' ? (choice() as { fieldId: string }).fieldId : choice().kind === 'new' ? 'new' : ''}
                              onChange={(e) => setChoice(i(), e.currentTarget.value)}>
                              <option value="">Don't import</option>
                              <option value="new">New custom field…</option>
                              <optgroup label={`${entity().label} fields`}>
                                <For each={fields()}>{(f) => <option value={f.id}>{f.label}{f.required ? ' *' : ''}</option>}</For>
                              </optgroup>
                            </select>
                            <Show when={choice().kind === 'new'}>
                              <select aria-label={`Type of the new field ${column}`} data-new-type={column} value={(choice() as { type: FieldType }).type}
                                onChange={(e) => setNewType(i(), e.currentTarget.value as FieldType)}>
                                <For each={NEW_FIELD_TYPES}>{(t) => <option value={t.type}>{t.label}</option>}</For>
                              </select>
                            </Show>
                          </div>
                        </td>
                      </tr>
                    )
                  }}
                </For>
              </tbody>
            </table>
          </div>
          <div class="kanso-import-dedupe">
            <label>Find duplicates by
              <select value={dedupe()} onChange={(e) => setDedupe(e.currentTarget.value as DedupeBy | '')} data-testid="import-dedupe">
                <option value="">Don't look for duplicates</option>
                <For each={dedupeChoices()}>{(by) => <option value={by}>{DEDUPE_LABEL[by]}</option>}</For>
              </select>
            </label>
            <Show when={dedupe()}>
              <label>When a {entity().singular.toLowerCase()} exists already
                <select value={onDuplicate()} onChange={(e) => setOnDuplicate(e.currentTarget.value as OnDuplicate)} data-testid="import-on-duplicate">
                  <option value="skip">Skip the row</option>
                  <option value="update">Update it with the row's values</option>
                  <option value="create">Create another one anyway</option>
                </select>
              </label>
            </Show>
          </div>
          <div class="kanso-modal-actions">
            <button type="button" onClick={() => { handle?.drop(); handle = null; setHeader([]); setFileName(''); setStep({ kind: 'choose' }) }}>Another file</button>
            <button type="button" class="kanso-primary" disabled={!mappedCount()} onClick={preview}>Preview →</button>
          </div>
        </Show>

        <Show when={step().kind === 'preview' ? step() as Extract<Step, { kind: 'preview' }> : null}>
          {(p) => (
            <>
              <div class="kanso-import-counts" data-testid="import-counts">
                <span class="ok"><strong>{number(p().counts.create + p().counts.update)}</strong> ready ({number(p().counts.create)} new, {number(p().counts.update)} updates)</span>
                <span class="dup"><strong>{number(p().counts.skip + p().counts.update)}</strong> {p().counts.skip + p().counts.update === 1 ? 'duplicate' : 'duplicates'}{p().counts.skip ? `, ${number(p().counts.skip)} skipped` : ''}</span>
                <span class="bad"><strong>{number(p().counts.refuse)}</strong> refused</span>
                <span class="kanso-muted">of {number(p().counts.rows)} rows</span>
              </div>
              <h3>First rows as they will be stored</h3>
              <div class="kanso-import-table-wrap">
                <table class="kanso-import-preview" data-testid="import-preview">
                  <thead><tr><th>Row</th><For each={previewFields()}>{(f) => <th>{f.label}</th>}</For></tr></thead>
                  <tbody>
                    <For each={p().preview} fallback={<tr><td colSpan={previewFields().length + 1} class="kanso-muted">No row can be imported as it is.</td></tr>}>
                      {(row) => (
                        <tr>
                          <td class="kanso-muted">{row.row}{row.kind === 'update' ? ' ↻' : ''}</td>
                          <For each={previewFields()}>{(f) => <td>{displayValue(f, row.values[f.id], props.context)}</td>}</For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={p().refused.length}>
                <h3>Refused rows <span class="kanso-muted">— not imported; fix them in the file and import it again</span></h3>
                <ul class="kanso-import-refused" data-testid="import-refused">
                  <For each={p().refused}>
                    {(r) => <li><strong>Row {r.row}:</strong> {r.errors.map((e) => e.message).join('; ')}</li>}
                  </For>
                  <Show when={p().counts.refuse > p().refused.length}><li class="kanso-muted">…and {number(p().counts.refuse - p().refused.length)} more in the download</li></Show>
                </ul>
              </Show>
              <div class="kanso-modal-actions">
                <Show when={refusedUrl()}>
                  {(url) => <a class="kanso-import-download" href={url()} download={`${entity().key}-refused-rows.csv`} data-testid="import-refused-download">Download refused rows (CSV)</a>}
                </Show>
                <button type="button" onClick={() => setStep({ kind: 'mapping' })}>← Columns</button>
                <button type="button" class="kanso-primary" data-testid="import-run" disabled={!(p().counts.create + p().counts.update)} onClick={run}>
                  Import {number(p().counts.create + p().counts.update)} {p().counts.create + p().counts.update === 1 ? entity().singular.toLowerCase() : entity().label.toLowerCase()}
                </button>
              </div>
            </>
          )}
        </Show>

        <Show when={step().kind === 'writing'}>
          <div class="kanso-import-progress" role="status" data-testid="import-writing">
            <p>Importing {progress() ? `${number(progress()!.done)} of ${number(progress()!.total)}` : ''}…</p>
            <progress max={100} value={percent()} data-testid="import-progress" />
            <span class="kanso-muted">{percent()}%</span>
            <button type="button" onClick={() => handle?.cancel()} data-testid="import-cancel">Cancel</button>
          </div>
          <p class="kanso-hint">The list stays usable meanwhile. Cancel stops here; what is imported by then stays, and Undo import takes it back.</p>
        </Show>

        <Show when={step().kind === 'done' ? (step() as Extract<Step, { kind: 'done' }>).result : null}>
          {(r) => (
            <>
              <div class="kanso-import-summary" role="status" data-testid="import-summary">
                <p><strong>{r().cancelled ? 'Import stopped.' : 'Import finished.'}</strong></p>
                <ul>
                  <li data-testid="import-created">{number(r().created)} created</li>
                  <li data-testid="import-updated">{number(r().updated)} updated</li>
                  <li data-testid="import-skipped">{number(r().skipped)} {r().skipped === 1 ? 'duplicate' : 'duplicates'} skipped</li>
                  <li data-testid="import-refused-count">{number(r().refused)} refused</li>
                </ul>
                <p class="kanso-hint">The whole import is one step: Undo import here, or Ctrl+Z in the list, takes back every record it created or changed.</p>
              </div>
              <div class="kanso-modal-actions">
                <Show when={r().refused && refusedUrl()}>
                  {(url) => <a class="kanso-import-download" href={url() as string} download={`${entity().key}-refused-rows.csv`} data-testid="import-refused-download">Download refused rows (CSV)</a>}
                </Show>
                <Show when={r().created + r().updated > 0}>
                  <button type="button" data-testid="import-undo" onClick={() => { props.onUndo(); props.onClose() }}>Undo import</button>
                </Show>
                <button type="button" class="kanso-primary" onClick={props.onClose}>Done</button>
              </div>
            </>
          )}
        </Show>

        <Show when={step().kind === 'choose'}>
          <div class="kanso-modal-actions"><button type="button" onClick={props.onClose}>Cancel</button></div>
        </Show>
      </div>
    </div>
  )
}

function stepIndex(step: Step): number {
  switch (step.kind) {
    case 'choose': return 0
    case 'reading': return step.phase === 'header' ? 0 : 2
    case 'mapping': return 1
    case 'preview': return 2
    default: return 3
  }
}

function delimiterName(d: string): string {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '\t' ? 'tab' : 'pipe'
}
