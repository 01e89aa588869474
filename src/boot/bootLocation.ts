/** The list the address bar names (`/<entity>/…`); My work (`/`, `/my-work`) reads the activities. */
export function bootEntity(pathname: string): string {
  const first = pathname.replace(/^\/+/, '').split('/')[0]
  return !first || first === 'my-work' ? 'activities' : first
}

/**
 * The access token of an invite link (`#token=…`, read as src/ui/session/accessToken.ts reads
 * it), else the one kept on this device.
 */
export function bootToken(hash: string, kept: string | null): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash)
  if (!match?.[1]) return kept
  try {
    return decodeURIComponent(match[1])
  } catch {
    // a malformed escape: the app's own reading of the link fails the same way and asks for a token
    return kept
  }
}
