import { createHash } from 'node:crypto'

/**
 * An id (randomId's alphabet and length) from a seed: a POST retried with the same caller and
 * Idempotency-Key names the same records, so a retry after a write that failed midway finds and
 * completes what the first attempt wrote instead of writing it twice.
 */
export function derivedId(seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  const bytes = createHash('sha256').update(seed).digest()
  let id = ''
  for (let i = 0; i < 12; i++) id += alphabet[bytes[i]! % 62]
  return id
}
