import type { ServerResponse } from 'node:http'
import { contentSecurityPolicy, type PolicyOptions } from './contentSecurityPolicy'

export type SecurityHeaders = Readonly<Record<string, string>>

/**
 * The headers every response carries (app, API, errors, 404s, /healthz):
 * - Content-Security-Policy: see contentSecurityPolicy;
 * - X-Frame-Options: DENY, for browsers without `frame-ancestors` (clickjacking);
 * - Referrer-Policy: no-referrer. Invite links carry their token in the #fragment, which is
 *   never sent, but a URL's query string is, and the app links out to sites its records name;
 *   nothing here needs the Referer, so none is sent, even to this origin;
 * - X-Content-Type-Options: nosniff, so a browser never runs a JSON answer or a stored file as script.
 */
export function securityHeaders(options: PolicyOptions): SecurityHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  }
}

/**
 * Sets the security headers for the response (writeHead merges them with its own), computed
 * once per public URL (set once the relay listens).
 */
export function makeSecurityHeaders(options: Omit<PolicyOptions, 'publicUrl'>): (res: ServerResponse, publicUrl: string) => void {
  let forUrl = ''
  let headers: SecurityHeaders = {}
  return (res, publicUrl) => {
    if (publicUrl !== forUrl) {
      headers = securityHeaders({ ...options, publicUrl })
      forUrl = publicUrl
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  }
}
