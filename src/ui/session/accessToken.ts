const TOKEN_KEY = 'kanso.token'

/**
 * The member's access token: taken from an invite link (`/#token=…`) once, then kept in
 * localStorage so the app opens offline. The hash is cleared so the token is not left in history.
 */
export function takeAccessToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash)
  if (match?.[1]) {
    const token = decodeURIComponent(match[1])
    localStorage.setItem(TOKEN_KEY, token)
    history.replaceState(null, '', location.pathname + location.search)
    return token
  }
  return localStorage.getItem(TOKEN_KEY)
}

export function forgetAccessToken(): void {
  localStorage.removeItem(TOKEN_KEY)
  localStorage.removeItem('kanso.member')
}
