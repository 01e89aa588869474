import { HttpError } from './httpError'

/** A percent-decoded path segment; malformed percent-encoding is the client's mistake (400), not ours. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, 'malformed_path', 'the path has malformed percent-encoding')
  }
}
