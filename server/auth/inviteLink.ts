/** The link that opens the app signed in as the token's member (the token stays in the fragment). */
export function inviteLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#token=${token}`
}
