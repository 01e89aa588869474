import { normalizeSpaces } from './normalizeSpaces'

export const URL_MAX_LENGTH = 2048

export type UrlParse =
  | { ok: true; value: string }
  | { ok: false; reason: 'notUrl' | 'tooLong' }
  | { ok: false; reason: 'scheme'; scheme: string }

const WITH_AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\//i
const OTHER_SCHEMES = /^(mailto|tel|sips?):(.*)$/i
// `javascript:…`, `data:…`; `example.com:8080` is a host with a port, not a scheme.
const ANY_SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d)/i
const HOST_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

/** A host typed without a scheme must look like a real one, so `hello` or `1.5` is not a link. */
function plausibleHost(host: string): boolean {
  if (host === 'localhost' || IPV4.test(host)) return true
  const labels = host.toLowerCase().split('.')
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l)) && TOP_LEVEL.test(labels[labels.length - 1] ?? '')
}

/**
 * `example.com/x` → `https://example.com/x`; `http(s)://…` kept as typed (scheme lowercased);
 * `mailto:`, `tel:` and `sip:` allowed; other schemes (javascript:, ftp:, data:) refused.
 */
export function normalizeUrl(input: string): UrlParse {
  const text = normalizeSpaces(input)
  if (/\s/.test(text)) return { ok: false, reason: 'notUrl' }
  if (text.length > URL_MAX_LENGTH) return { ok: false, reason: 'tooLong' }

  const other = OTHER_SCHEMES.exec(text)
  if (other) {
    const scheme = (other[1] ?? '').toLowerCase()
    const rest = other[2] ?? ''
    const fine = scheme === 'tel' ? /\d/.test(rest) : scheme === 'mailto' ? rest.includes('@') : rest.length > 1
    return fine ? { ok: true, value: `${scheme}:${rest}` } : { ok: false, reason: 'notUrl' }
  }
  const authority = WITH_AUTHORITY.exec(text)
  const scheme = (authority?.[1] ?? ANY_SCHEME.exec(text)?.[1])?.toLowerCase()
  if (scheme && scheme !== 'http' && scheme !== 'https') return { ok: false, reason: 'scheme', scheme }

  const candidate = authority ? `${scheme}${text.slice(scheme?.length)}` : `https://${text}`
  if (!URL.canParse(candidate) || !new URL(candidate).hostname) return { ok: false, reason: 'notUrl' }
  if (!authority && !plausibleHost(/^[^/?#:]*/.exec(text)?.[0] ?? '')) return { ok: false, reason: 'notUrl' }
  return { ok: true, value: candidate }
}
