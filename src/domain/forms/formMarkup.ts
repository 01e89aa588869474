import { liveFields, type EntityDef, type FieldDef } from '../schema'
import { h, type HtmlElement, type HtmlNode } from './htmlTree'
import { HONEYPOT_INPUT, type WebForm, type WebFormField } from './webForm'

/** A form field with what its input needs from the lead field. */
export interface ShownField extends WebFormField {
  field: FieldDef
  /** The label shown: the form's, else the lead field's. */
  shownLabel: string
}

/** The form's fields that the lead entity still has, in the form's order. */
export function shownFields(form: WebForm, leads: EntityDef): ShownField[] {
  const byKey = new Map(liveFields(leads).map((f) => [f.key, f]))
  return form.fields.flatMap((f) => {
    const field = byKey.get(f.key)
    return field ? [{ ...f, field, shownLabel: f.label.trim() || field.label }] : []
  })
}

export interface FormMarkupOptions {
  /** Where the form posts: https://HOST/f/{id}. */
  action: string
  /** Hidden inputs: the served-at token, UTM parameters, the referring page. */
  hidden?: Record<string, string>
  /** Values to show again (a refused post). */
  values?: Record<string, string>
  /** Messages by input name (a refused post). */
  errors?: Record<string, string>
}

const INPUT_TYPES: Partial<Record<FieldDef['type'], string>> = { email: 'email', phone: 'tel', url: 'url', date: 'date', number: 'text' }
const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel', company_name: 'organization' }

function input(shown: ShownField, id: string, value: string): HtmlElement {
  const { field, key, required } = shown
  const common = { id, name: key, required: required || undefined, 'aria-describedby': undefined }
  if (field.type === 'longText') return h('textarea', { ...common, rows: '4' }, value)
  if (field.type === 'select') {
    return h('select', common, h('option', { value: '' }, '—'), ...(field.options ?? []).map((o) => h('option', { value: o, selected: o === value || undefined }, o)))
  }
  if (field.type === 'checkbox') return h('input', { ...common, type: 'checkbox', value: 'yes', checked: value === 'yes' || undefined })
  return h('input', { ...common, type: INPUT_TYPES[field.type] ?? 'text', value: value || undefined, autocomplete: AUTOCOMPLETE[key], inputmode: field.type === 'number' ? 'decimal' : undefined })
}

/**
 * The `<form>` posting to Kanso: inputs named by the lead fields' API keys, labels, required
 * marks, the consent text, a honeypot (off-screen, skipped by people and their browsers' autofill)
 * and the hidden inputs given. The same tree is the hosted page's form and the HTML a site pastes.
 */
export function formMarkup(form: WebForm, leads: EntityDef, options: FormMarkupOptions): HtmlElement {
  const values = options.values ?? {}
  const errors = options.errors ?? {}
  const rows: HtmlNode[] = shownFields(form, leads).map((shown) => {
    const id = `kanso-${form.id}-${shown.key}`
    const error = errors[shown.key]
    return h('p', { class: 'kanso-form-row' },
      h('label', { for: id }, shown.shownLabel, shown.required ? h('span', { class: 'kanso-form-required', 'aria-hidden': 'true' }, ' *') : null),
      input(shown, id, values[shown.key] ?? ''),
      error ? h('span', { class: 'kanso-form-error', role: 'alert' }, error) : null,
    )
  })
  const hidden = Object.entries(options.hidden ?? {}).map(([name, value]) => h('input', { type: 'hidden', name, value }))
  return h('form', { class: 'kanso-form', method: 'post', action: options.action, 'accept-charset': 'utf-8' },
    ...rows,
    // people never see it; bots that fill every input do, and their post creates nothing
    h('p', { class: 'kanso-form-hp', hidden: true, 'aria-hidden': 'true' },
      h('label', {}, 'Leave this empty', h('input', { type: 'text', name: HONEYPOT_INPUT, tabindex: '-1', autocomplete: 'off', value: values[HONEYPOT_INPUT] || undefined }))),
    ...hidden,
    form.consentText.trim() ? h('p', { class: 'kanso-form-consent' }, form.consentText) : null,
    errors._form ? h('p', { class: 'kanso-form-error', role: 'alert' }, errors._form) : null,
    h('p', {}, h('button', { type: 'submit' }, 'Send')),
  )
}
