import { createSignal, onCleanup, type Accessor } from 'solid-js'

/** Below this width (a phone held upright) lists are cards and the navigation is a menu. */
export const NARROW_SCREEN_QUERY = '(max-width: 599px)'

/** True while the window is phone-sized; follows rotation and resizing. */
export function createNarrowScreen(): Accessor<boolean> {
  const media = matchMedia(NARROW_SCREEN_QUERY)
  const [narrow, setNarrow] = createSignal(media.matches)
  const onChange = () => setNarrow(media.matches)
  media.addEventListener('change', onChange)
  onCleanup(() => media.removeEventListener('change', onChange))
  return narrow
}
