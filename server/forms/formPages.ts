import type { EntityDef } from '../../src/domain/schema'
import { formMarkup, type FormMarkupOptions } from '../../src/domain/forms/formMarkup'
import { h, renderHtml, type HtmlNode } from '../../src/domain/forms/htmlTree'
import type { WebForm } from '../../src/domain/forms/webForm'

/** The stylesheet of hosted forms and the embed (public/embed/form.css). */
export const FORM_CSS_PATH = '/embed/form.css'

function page(title: string, ...body: (HtmlNode | null)[]): string {
  const doc = h('html', { lang: 'en' },
    h('head', {},
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('meta', { name: 'robots', content: 'noindex' }),
      h('title', {}, title),
      h('link', { rel: 'stylesheet', href: FORM_CSS_PATH }),
    ),
    h('body', { class: 'kanso-form-page' }, h('main', { class: 'kanso-form-card' }, ...body)),
  )
  return `<!doctype html>\n${renderHtml(doc, 2)}\n`
}

/** GET /f/{id}: the form on a page of its own, usable without JavaScript and on a phone. */
export function hostedFormPage(form: WebForm, leads: EntityDef, options: FormMarkupOptions): string {
  return page(form.name, h('h1', {}, form.name), formMarkup(form, leads, options))
}

/** After a post without a redirect, and for refusals that are not about a field. */
export function messagePage(title: string, message: string, back?: string): string {
  return page(title, h('h1', {}, title), h('p', { class: 'kanso-form-message' }, message), back ? h('p', {}, h('a', { href: back }, 'Back to the form')) : null)
}
