// @ts-check
/*
 * Kanso's embeddable web-to-lead form:
 *   <script src="https://HOST/embed/form.js" data-form="{formId}"></script>
 * Renders the form where the tag stands (or into the element named by data-target), posts it as
 * JSON to https://HOST/f/{formId} with the page's URL (its utm_* parameters and the page itself go
 * onto the lead), and shows the thank-you text or follows the form's redirect. No dependencies;
 * builds the form with DOM calls only, so no text from the form is ever parsed as HTML.
 */
(function () {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript)
  if (!script || !script.dataset.form) {
    console.error('Kanso form: the <script> needs data-form="<form id>"')
    return
  }
  const formId = script.dataset.form
  const origin = new URL(script.src).origin
  const endpoint = `${origin}/f/${encodeURIComponent(formId)}`
  const target = script.dataset.target ? document.querySelector(script.dataset.target) : null
  const host = document.createElement('div')
  host.className = 'kanso-embed'
  if (target) target.appendChild(host)
  else script.after(host)

  if (!document.querySelector(`link[data-kanso-form-css="${origin}"]`)) {
    const css = document.createElement('link')
    css.rel = 'stylesheet'
    css.href = `${origin}/embed/form.css`
    css.dataset.kansoFormCss = origin
    document.head.appendChild(css)
  }

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
    for (const c of children) node.append(c)
    return node
  }

  /** @param {{ key: string, label: string, type: string, required: boolean, options?: string[] }} field @param {string} id */
  function inputFor(field, id) {
    const attrs = { id, name: field.key }
    let input
    if (field.type === 'longText') input = el('textarea', { ...attrs, rows: '4' })
    else if (field.type === 'select') input = el('select', attrs, [el('option', { value: '' }, ['—']), ...(field.options || []).map((o) => el('option', { value: o }, [o]))])
    else if (field.type === 'checkbox') input = el('input', { ...attrs, type: 'checkbox', value: 'yes' })
    else {
      const types = /** @type {Record<string, string>} */ ({ email: 'email', phone: 'tel', url: 'url', date: 'date' })
      input = el('input', { ...attrs, type: types[field.type] || 'text' })
    }
    if (field.required) input.setAttribute('required', '')
    return input
  }

  /** @param {string} text */
  function showMessage(text) {
    host.replaceChildren(el('p', { class: 'kanso-form-message', role: 'status' }, [text]))
  }

  fetch(endpoint, { headers: { Accept: 'application/json' } })
    .then((res) => {
      if (!res.ok) throw new Error(`the form could not be loaded (${res.status})`)
      return res.json()
    })
    .then((spec) => render(spec))
    .catch((error) => {
      console.error(`Kanso form ${formId}: ${error.message}`)
      showMessage('This form is not available right now.')
    })

  /** @param {any} spec */
  function render(spec) {
    const errors = new Map()
    const rows = spec.fields.map((/** @type {any} */ field) => {
      const id = `kanso-${spec.id}-${field.key}`
      const error = el('span', { class: 'kanso-form-error', role: 'alert' })
      errors.set(field.key, error)
      const label = el('label', { for: id }, [field.label])
      if (field.required) label.append(el('span', { class: 'kanso-form-required', 'aria-hidden': 'true' }, [' *']))
      return el('p', { class: 'kanso-form-row' }, [label, inputFor(field, id), error])
    })
    const honeypot = el('input', { type: 'text', name: spec.honeypot, tabindex: '-1', autocomplete: 'off' })
    const formError = el('p', { class: 'kanso-form-error', role: 'alert' })
    const button = el('button', { type: 'submit' }, ['Send'])
    const form = el('form', { class: 'kanso-form', novalidate: '' }, [
      ...rows,
      el('p', { class: 'kanso-form-hp', 'aria-hidden': 'true' }, [el('label', {}, ['Leave this empty', honeypot])]),
      ...(spec.consent_text ? [el('p', { class: 'kanso-form-consent' }, [spec.consent_text])] : []),
      formError,
      el('p', {}, [button]),
    ])
    host.replaceChildren(form)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      if (!(/** @type {HTMLFormElement} */ (form)).reportValidity()) return
      /** @type {Record<string, string>} */
      const body = {}
      for (const [name, value] of new FormData(/** @type {HTMLFormElement} */ (form))) if (typeof value === 'string') body[name] = value
      body[spec.served_at.name] = spec.served_at.value
      body[spec.page_url] = location.href
      button.setAttribute('disabled', '')
      for (const e of [...errors.values(), formError]) e.textContent = ''
      fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (res) => {
          if (res.ok) {
            if (spec.redirect_url) location.assign(spec.redirect_url)
            else showMessage(spec.thank_you_text || 'Thank you!')
            return
          }
          const problem = await res.json().catch(() => ({ detail: `the form could not be sent (${res.status})` }))
          const unplaced = []
          for (const e of problem.errors || []) {
            const slot = errors.get(e.field)
            if (slot) slot.textContent = e.message
            else unplaced.push(e.message)
          }
          formError.textContent = unplaced.length ? unplaced.join(' ') : problem.errors ? '' : problem.detail
        })
        .catch((error) => { formError.textContent = `The form could not be sent: ${error.message}` })
        .finally(() => button.removeAttribute('disabled'))
    })
  }
})()
