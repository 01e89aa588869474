import { afterEach, describe, expect, it } from 'vitest'
import { typingElsewhere } from './typingElsewhere'

describe('typingElsewhere', () => {
  afterEach(() => { document.body.innerHTML = '' })

  it('is true while a text entry outside the given elements has the keyboard, false inside them or on a button', () => {
    document.body.innerHTML = '<input id="search" type="search"><div id="panel"><input id="field"><button id="close">×</button></div><textarea id="notes"></textarea>'
    const panel = document.getElementById('panel')
    expect(typingElsewhere(panel)).toBe(false) // nothing focused: the body
    document.getElementById('search')!.focus()
    expect(typingElsewhere(panel)).toBe(true)
    document.getElementById('notes')!.focus()
    expect(typingElsewhere(panel)).toBe(true)
    document.getElementById('field')!.focus()
    expect(typingElsewhere(panel)).toBe(false)
    document.getElementById('close')!.focus()
    expect(typingElsewhere(null)).toBe(false)
  })
})
