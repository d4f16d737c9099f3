import type { Dd } from './dd'

const SPLITTER = 134217729 // 2^27 + 1, Veltkamp's splitting constant
const BIG = 2 ** 996
const SCALE_DOWN = 2 ** -60
const SCALE_UP = 2 ** 60

function split(a: number): Dd {
  const t = SPLITTER * a
  const hi = t - (t - a)
  return [hi, a - hi]
}

/**
 * Error-free product: `a · b = p + e` exactly, with `p = fl(a · b)` (Dekker 1971, "A floating-point
 * technique for extending the available precision", Veltkamp splitting; no FMA needed).
 * @example twoProduct(0.1, 0.1) // [0.010000000000000002, -8.326672684688674e-19]
 */
export function twoProduct(a: number, b: number): Dd {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [a * b, 0]
  if (Math.abs(a) > BIG || Math.abs(b) > BIG) {
    // Splitting would overflow: scale the larger factor by a power of two (exact) and undo it.
    const [p, e] = Math.abs(a) > Math.abs(b) ? twoProduct(a * SCALE_DOWN, b) : twoProduct(a, b * SCALE_DOWN)
    return [p * SCALE_UP, e * SCALE_UP]
  }
  const p = a * b
  const [ah, al] = split(a)
  const [bh, bl] = split(b)
  return [p, ah * bh - p + ah * bl + al * bh + al * bl]
}
