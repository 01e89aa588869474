import type { EntityDef } from '../schema'
import { formMarkup, shownFields } from './formMarkup'
import { renderHtml } from './htmlTree'
import type { WebForm } from './webForm'

export interface FormSnippet {
  id: 'hosted' | 'html' | 'script' | 'json'
  title: string
  text: string
}

/**
 * The four ways to use a form, as text to copy: its hosted page, a plain HTML form for any site
 * (no JavaScript), the embed script, and a JSON post (CORS). `relayUrl` is the relay's public URL.
 */
export function formSnippets(form: WebForm, leads: EntityDef, relayUrl: string): FormSnippet[] {
  const base = relayUrl.replace(/\/+$/, '')
  const action = `${base}/f/${encodeURIComponent(form.id)}`
  const example = Object.fromEntries(shownFields(form, leads).map((f) => [f.key, f.field.type === 'email' ? 'ann@example.com' : f.field.type === 'phone' ? '+49 30 1234567' : f.key === 'name' ? 'Ann Lee' : '…']))
  return [
    { id: 'hosted', title: 'Link to the hosted page', text: action },
    { id: 'html', title: 'HTML form for any site (no JavaScript)', text: renderHtml(formMarkup(form, leads, { action }), 2) },
    { id: 'script', title: 'Embed script', text: renderHtml({ tag: 'script', attrs: { src: `${base}/embed/form.js`, 'data-form': form.id }, children: [] }) },
    {
      id: 'json',
      title: 'JSON (from your own code, CORS allowed)',
      text: `fetch(${JSON.stringify(action)}, {\n  method: 'POST',\n  headers: { 'Content-Type': 'application/json' },\n  body: JSON.stringify(${JSON.stringify(example)}),\n})`,
    },
  ]
}
