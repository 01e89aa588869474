import type { IncomingMessage } from 'node:http'
import { HttpError } from '../http/httpError'

/** A form post is a few fields; anything bigger is not a person's. */
export const MAX_FORM_BODY_BYTES = 64 * 1024

export type PostKind = 'json' | 'form'

/**
 * The body of a post to /f/{id}: JSON (an object), `application/x-www-form-urlencoded` or
 * `multipart/form-data` (read by the platform's own parser, Fetch's Request.formData; files are
 * refused). HttpError 413 over MAX_FORM_BODY_BYTES, 415 for other types, 400 for bad bodies.
 */
export async function readFormPost(req: IncomingMessage, limit = MAX_FORM_BODY_BYTES): Promise<{ kind: PostKind; fields: Record<string, unknown> }> {
  const type = req.headers['content-type'] ?? ''
  const json = /^application\/json\b/i.test(type)
  if (!json && !/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the form as application/x-www-form-urlencoded, multipart/form-data or application/json')
  }
  const tooBig = new HttpError(413, 'payload_too_large', `a form post must be at most ${limit / 1024} KB`)
  if (Number(req.headers['content-length'] ?? NaN) > limit) throw tooBig
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooBig
    chunks.push(chunk)
  }
  const bytes = Buffer.concat(chunks)
  if (json) {
    let body: unknown
    try {
      body = JSON.parse(bytes.toString('utf8'))
    } catch (error) {
      throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`)
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'invalid_body', 'the body must be a JSON object')
    return { kind: 'json', fields: body as Record<string, unknown> }
  }
  let data: FormData
  try {
    data = await new Request('http://relay.invalid/', { method: 'POST', headers: { 'content-type': type }, body: bytes }).formData()
  } catch (error) {
    throw new HttpError(400, 'invalid_body', `the form body could not be read: ${(error as Error).message}`)
  }
  const fields: Record<string, unknown> = {}
  for (const [name, value] of data) {
    if (typeof value !== 'string') throw new HttpError(400, 'invalid_body', `"${name}" is a file; a form takes text only`)
    // a checkbox group or a repeated input: the last one, as a server reading a plain form would
    fields[name] = value
  }
  return { kind: 'form', fields }
}
