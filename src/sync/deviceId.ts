import { randomId } from '../crdt/randomId'

const DEVICE_KEY = 'kanso.deviceId'

/**
 * This browser profile's id, kept in localStorage: with the member's id it names the writer of
 * the automation run logs (`<member>.<device>`), so two devices of one member each keep their
 * own count and never overwrite the other's. Without localStorage (a worker, a locked-down
 * profile) an id for this page only.
 */
export function deviceId(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): string {
  const known = storage?.getItem(DEVICE_KEY)
  if (known && /^[A-Za-z0-9]{6,32}$/.test(known)) return known
  const id = randomId()
  try {
    storage?.setItem(DEVICE_KEY, id)
  } catch (err) {
    console.warn('kanso: could not keep this device id; run logs of this page count as a new device', err)
  }
  return id
}
