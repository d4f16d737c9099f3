import { sha256Words } from './sha256'

/**
 * The edgesplit hash, version 1 (docs/design.md, "Hashing"):
 * `u = uint64_be(SHA-256(UTF-8(unit + ":" + salt))[0..8]) / 2^64`. Identical to seed 000's router
 * hash (docs/compatibility.md, "Seed 000"), so both agree on every assignment. Synchronous: the
 * SHA-256 is src/core/sha256.ts, checked against Web Crypto and the golden vectors in the tests.
 * @example hashToUnitInterval('user-456', 'moon_mars') // 0.7135…
 */
export function hashToUnitInterval(unit: string, salt: string): number {
  const h = sha256Words(`${unit}:${salt}`)
  // hi·2^-32 and lo·2^-64 are both exact doubles, so the single rounding of their sum equals
  // Python's correctly rounded int/2**64. (It can round up to exactly 1.0 with probability 2^-54;
  // bucketRanges treats the last range as closed at 1 for that reason.)
  return (h[0]! >>> 0) * 2 ** -32 + (h[1]! >>> 0) * 2 ** -64
}
