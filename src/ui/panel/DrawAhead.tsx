import { onCleanup, onMount } from 'solid-js'

/**
 * An empty marker at the end of a list drawn in parts: `onNear` once it comes within `aheadPx`
 * of what the record panel's body shows (at once if it already is), so the next part is drawn
 * before it is scrolled to. Made again for each part drawn (keyed), a new marker asks again.
 */
export function DrawAhead(props: { aheadPx: number; onNear: () => void }) {
  let marker!: HTMLDivElement
  onMount(() => {
    // the panel's body is what scrolls: a margin on the page's viewport would not reach past its edge
    const observer = new IntersectionObserver((seen) => {
      if (!seen.some((e) => e.isIntersecting)) return
      observer.disconnect()
      props.onNear()
    }, { root: marker.closest<HTMLElement>('.kanso-panel-body'), rootMargin: `${props.aheadPx}px 0px` })
    observer.observe(marker)
    onCleanup(() => observer.disconnect())
  })
  return <div ref={marker} class="kanso-draw-ahead" aria-hidden="true" />
}
