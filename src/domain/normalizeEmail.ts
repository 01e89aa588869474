import { normalizeSpaces } from './normalizeSpaces'

export const EMAIL_MAX_LENGTH = 254

const LOCAL_PART = /^[^\s@"(),:;<>[\]\\]{1,64}$/
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u

/**
 * An address as pasted — `bob@Example.com`, `mailto:bob@example.com`, `Bob <bob@example.com>` —
 * → `bob@example.com` with the domain lowercased (the local part is the mailbox owner's business).
 * Undefined when it is not a plausible address or longer than 254 characters.
 */
export function normalizeEmail(input: string): string | undefined {
  let text = normalizeSpaces(input)
  const display = /^[^<>]*<([^<>]+)>$/.exec(text)
  if (display) text = (display[1] ?? '').trim()
  text = text.replace(/^mailto:/i, '')
  if (text.length > EMAIL_MAX_LENGTH) return undefined
  const at = text.lastIndexOf('@')
  if (at < 0) return undefined
  const local = text.slice(0, at)
  const domain = text.slice(at + 1).toLowerCase()
  if (!LOCAL_PART.test(local) || /^\.|\.\.|\.$/.test(local)) return undefined
  const labels = domain.split('.')
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return undefined
  if (!TOP_LEVEL.test(labels[labels.length - 1] ?? '')) return undefined
  return `${local}@${domain}`
}
