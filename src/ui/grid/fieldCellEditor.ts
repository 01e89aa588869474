import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community'
import type { FieldDef, Row } from '../../domain/schema'
import type { GridContext } from './gridContext'
import { FieldInput } from './fieldInput'

export interface FieldEditorParams extends ICellEditorParams<Row> {
  field: FieldDef
  gridContext: GridContext
}

/**
 * A grid cell's editor: the shared FieldInput (text, pickers, "Reads as …") in AG Grid's editor
 * shape. It returns the raw text; parsing and refusal happen in the grid adapter
 * (commitCellInputs), so every edit path shares one rule.
 */
export class FieldCellEditor implements ICellEditorComp<Row> {
  private editor!: FieldInput

  init(params: FieldEditorParams): void {
    this.editor = new FieldInput({
      field: params.field, context: params.gridContext, rowId: params.data?.id ?? '', stored: params.data?.values[params.field.id],
      eventKey: params.eventKey, done: () => params.stopEditing(),
    })
    // AG Grid ends the editing on Escape a task later (from a timer); a key pressed meanwhile went
    // to this editor still: Escape then Enter saved the text and moved down a row, and what was
    // typed next landed in the row below. Escape drops the editing at once here (a multi-select's
    // picker has its own Escape: it keeps the chosen options).
    this.editor.input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key !== 'Escape' || e.defaultPrevented) return
      e.preventDefault()
      e.stopPropagation()
      params.api.stopEditing(true)
    })
  }

  getGui(): HTMLElement {
    return this.editor.element
  }

  afterGuiAttached(): void {
    this.editor.attach()
  }

  /** Characters typed before the editor opened (after "+ New"). */
  typeAhead(text: string): void {
    this.editor.typeAhead(text)
  }

  getValue(): string {
    return this.editor.value()
  }

  isPopup(): boolean {
    return this.editor.input instanceof HTMLTextAreaElement
  }

  destroy(): void {
    // The input's caret would stay behind in the grid as a caret in the cell: every later focus
    // change, keypress and frame then works out where it is (a focus() 0.2 → 1.5 ms here), and
    // the Enter that ends an edit moves the focus twice.
    const selection = document.getSelection()
    if (selection?.rangeCount && this.editor.element.contains(selection.anchorNode)) selection.removeAllRanges()
    this.editor.destroy()
  }
}
