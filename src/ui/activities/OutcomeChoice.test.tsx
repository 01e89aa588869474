import { createSignal, Show } from 'solid-js'
import { render } from 'solid-js/web'
import { afterEach, describe, expect, it } from 'vitest'
import { OutcomeChoice } from './OutcomeChoice'

let dispose: (() => void) | undefined
afterEach(() => { dispose?.(); document.body.innerHTML = '' })

const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }))

describe('OutcomeChoice', () => {
  it('takes the digit typed right after x, before the next frame (it went to the item and was lost)', () => {
    const picked: string[] = []
    const root = document.createElement('div')
    document.body.append(root)
    dispose = render(() => {
      const [asking, setAsking] = createSignal(false)
      // an item of a list, as My work's: x asks how the call went
      return (
        <div tabindex="0" data-testid="item" onKeyDown={(e) => { if (e.key === 'x') setAsking(true) }}>
          <Show when={asking()}>
            <OutcomeChoice options={['connected', 'no_answer']} onPick={(o) => picked.push(o)} onCancel={() => setAsking(false)} />
          </Show>
        </div>
      )
    }, root)
    const item = root.querySelector<HTMLElement>('[data-testid="item"]')!
    item.focus()
    key(item, 'x')
    // the next key goes wherever the focus is now, with no frame in between
    key(document.activeElement ?? document.body, '1')
    expect(picked).toEqual(['connected'])
  })
})
