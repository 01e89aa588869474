import type { ServerResponse } from 'node:http'
import { HttpError } from '../http/httpError'
import { ServerUpdateError } from '../rooms/writeServerUpdate'

/** One refused input of a request: the field (API key or body property) and why. */
export interface FieldProblem {
  field: string
  message: string
}

/**
 * A refusal of the /api/v1 API, sent as RFC 9457 `application/problem+json`:
 * `{ type, title, status, detail, errors? }`, plus headers such as Retry-After.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: readonly FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
    this.name = 'ProblemError'
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
}

/** The standard reason phrase of a status, for a problem's `title`. */
export function problemTitle(status: number): string {
  return TITLES[status] ?? 'Error'
}

export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  errors?: readonly FieldProblem[],
  headers: Record<string, string> = {},
): void {
  const body = { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}),
    ...(status === 413 ? { Connection: 'close' } : {}),
    ...headers,
  })
  res.end(text)
}

/**
 * Answers a refusal thrown while handling an /api/v1 request: a ProblemError as it is, an
 * HttpError from the shared HTTP helpers (body reading, path decoding) as the same status, a
 * server write that was not stored as serverUpdateProblem says. Anything else is not a
 * refusal: false, the caller reports it as a failure.
 */
export function sendProblemFor(res: ServerResponse, error: unknown): boolean {
  if (error instanceof ProblemError) {
    sendProblem(res, error.status, error.title, error.detail, error.errors, error.headers)
    return true
  }
  if (error instanceof HttpError) {
    sendProblem(res, error.status, problemTitle(error.status), error.message)
    return true
  }
  if (error instanceof ServerUpdateError) {
    const refusal = serverUpdateProblem(error)
    sendProblem(res, refusal.status, refusal.title, refusal.detail, undefined, refusal.headers)
    return true
  }
  return false
}

/**
 * A server write (an API change, a form's lead, a call) that was not stored: writeServerUpdate
 * logged why. A transient failure (storage, a copy that disagreed with the room: the caller
 * dropped it) is a 503 to try again, not a bare 500.
 */
export function serverUpdateProblem(error: ServerUpdateError): ProblemError {
  if (error.transient) return problem(503, 'the change was not saved: the relay could not store it just now; try again', undefined, { 'Retry-After': '1' })
  return problem(500, 'the change was not saved: the relay refused its own write; see its log')
}

/** Shorthand for the common refusals: `throw problem(404, 'no deal with id "x"')`. */
export function problem(status: number, detail: string, errors?: readonly FieldProblem[], headers?: Record<string, string>): ProblemError {
  return new ProblemError(status, problemTitle(status), detail, errors, headers)
}
