import { describe, expect, it } from 'vitest'
import { defaultSchema } from '../defaultSchema'
import { findEntity } from '../schema'
import { formSnippets } from './formSnippets'
import type { WebForm } from './webForm'

const leads = findEntity(defaultSchema(), 'leads')!
const form: WebForm = {
  id: 'formAbc', name: 'Contact "us"', createdAt: '2026-01-01T00:00:00.000Z', consentText: 'We keep <this>.', thankYouText: 'Thanks', redirectUrl: '', dedupe: true,
  fields: [{ key: 'name', label: '', required: true }, { key: 'email', label: 'Work email', required: false }, { key: 'gone', label: '', required: false }],
}

describe('formSnippets', () => {
  const [hosted, html, script, json] = formSnippets(form, leads, 'https://crm.example.com/')

  it('links the hosted page and the embed script at the relay', () => {
    expect(hosted!.text).toBe('https://crm.example.com/f/formAbc')
    expect(script!.text).toBe('<script src="https://crm.example.com/embed/form.js" data-form="formAbc"></script>')
  })

  it('gives a plain form posting to the relay, inputs named by API keys, escaped texts, a hidden honeypot, no fields the leads lost', () => {
    expect(html!.text).toMatch(/^<form class="kanso-form" method="post" action="https:\/\/crm.example.com\/f\/formAbc"/)
    expect(html!.text).toContain('<input id="kanso-formAbc-name" name="name" required type="text" autocomplete="name">')
    expect(html!.text).toContain('>Work email</label><input id="kanso-formAbc-email" name="email" type="email"')
    expect(html!.text).toContain('We keep &lt;this&gt;.')
    expect(html!.text).toMatch(/<p class="kanso-form-hp" hidden aria-hidden="true">.*name="_homepage"/)
    expect(html!.text).not.toContain('gone')
    expect(html!.text).not.toContain('<script')
  })

  it('posts JSON keyed by the fields', () => {
    expect(json!.text).toContain('"https://crm.example.com/f/formAbc"')
    expect(json!.text).toContain('{"name":"Ann Lee","email":"ann@example.com"}')
  })
})
