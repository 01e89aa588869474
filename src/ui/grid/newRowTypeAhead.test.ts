import { afterEach, describe, expect, it } from 'vitest'
import { makeNewRowTypeAhead } from './newRowTypeAhead'

const key = (k: string) => {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true })
  ;(document.activeElement ?? document.body).dispatchEvent(e)
  return e
}

describe('makeNewRowTypeAhead', () => {
  afterEach(() => { document.body.innerHTML = '' })

  it('keeps the letters typed on "+ New" before the editor opens, and Enter, which no longer presses the button again', () => {
    document.body.innerHTML = '<button id="new">+ New contact</button>'
    const button = document.getElementById('new')!
    const pressed: string[] = []
    button.addEventListener('keydown', (e) => pressed.push(e.key))
    button.focus()
    const typed = makeNewRowTypeAhead()
    for (const k of 'Ada L') expect(key(k).defaultPrevented).toBe(true)
    expect(key('Shift').defaultPrevented).toBe(false)
    expect(key('Enter').defaultPrevented).toBe(true)
    expect(typed.text()).toBe('Ada L')
    expect(typed.entered()).toBe(true)
    // after Enter the keys go their usual way (to the cell below, once there is one)
    expect(key('x').defaultPrevented).toBe(false)
    expect(typed.text()).toBe('Ada L')
    expect(pressed).toEqual(['Shift', 'x'])
    expect(typed.movedOn()).toBe(false)
    typed.stop()
  })

  it('lets go once the member moves the keyboard elsewhere, and after stop', () => {
    document.body.innerHTML = '<button id="new">+ New contact</button><input id="search">'
    document.getElementById('new')!.focus()
    const typed = makeNewRowTypeAhead()
    key('A')
    document.getElementById('search')!.focus()
    expect(typed.movedOn()).toBe(true)
    expect(key('b').defaultPrevented).toBe(false)
    expect(typed.text()).toBe('A')
    typed.stop()
    document.getElementById('new')!.focus()
    expect(key('c').defaultPrevented).toBe(false)
    expect(typed.text()).toBe('A')
  })

  it('keeps waiting when the button was drawn again and the body has the keyboard', () => {
    document.body.innerHTML = '<button id="new">+ New contact</button>'
    document.getElementById('new')!.focus()
    const typed = makeNewRowTypeAhead()
    document.getElementById('new')!.remove()
    expect(typed.movedOn()).toBe(false)
    key('Z')
    expect(typed.text()).toBe('Z')
    typed.stop()
  })
})
