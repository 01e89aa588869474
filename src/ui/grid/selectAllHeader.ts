import type { IHeaderComp, IHeaderParams } from 'ag-grid-community'
import type { Row } from '../../domain/schema'

export interface SelectAllHeaderParams extends IHeaderParams<Row> {
  /** Rows shown (after the search) and how many of them are ticked. */
  counts: () => { shown: number; selected: number }
  /** Ticks every shown row, or none. */
  selectAll: (selected: boolean) => void
  onCountsChange: (listener: () => void) => () => void
}

/** The selection column's header: a box that ticks every row of the view, loaded in the grid or not. */
export class SelectAllHeader implements IHeaderComp {
  private box = document.createElement('input')
  private stop: () => void = () => undefined

  init(params: SelectAllHeaderParams): void {
    this.box.type = 'checkbox'
    this.box.className = 'kanso-select-all'
    this.box.setAttribute('aria-label', 'Select all rows')
    this.box.title = 'Select all rows'
    const render = () => {
      const { shown, selected } = params.counts()
      this.box.checked = shown > 0 && selected >= shown
      this.box.indeterminate = selected > 0 && selected < shown
    }
    this.box.addEventListener('change', () => params.selectAll(this.box.checked))
    this.stop = params.onCountsChange(render)
    render()
  }

  getGui(): HTMLElement {
    return this.box
  }

  refresh(): boolean {
    return true
  }

  destroy(): void {
    this.stop()
  }
}
