/** The peer sent bytes we cannot decode; the connection is closed with CLOSE_MALFORMED. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError'
}
