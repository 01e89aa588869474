/** WebSocket close reasons are limited to 123 bytes of UTF-8; cut on a character boundary. */
export function fitCloseReason(reason: string): string {
  let fitted = reason
  while (Buffer.byteLength(fitted) > 123) fitted = fitted.slice(0, -1)
  return fitted
}
