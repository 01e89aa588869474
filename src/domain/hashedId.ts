const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BASE = BigInt(ALPHABET.length)

/**
 * An id in randomId's alphabet and length from a seed, synchronously and without Node's crypto
 * (the workspace worker has none that is synchronous): a 64-bit hash (cyrb53's two multiplying
 * lanes, widened) in base 62. Not for secrets; for ids that two writers applying the same
 * stored edit must both arrive at.
 */
export function hashedId(seed: string): string {
  let h1 = 0xdeadbeef ^ seed.length
  let h2 = 0x41c6ce57 ^ seed.length
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  let n = (BigInt(h2 >>> 0) << 32n) | BigInt(h1 >>> 0)
  let id = ''
  for (let i = 0; i < 12; i++) {
    id += ALPHABET[Number(n % BASE)]
    n /= BASE
  }
  return id
}
