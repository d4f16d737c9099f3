import type { Dd } from './dd'
import { H, L, twoProductTo } from './dd-kernels'

/**
 * Error-free product: `a · b = p + e` exactly, with `p = fl(a · b)` (Dekker 1971, "A floating-point
 * technique for extending the available precision", Veltkamp splitting; no FMA needed).
 * @example twoProduct(0.1, 0.1) // [0.010000000000000002, -8.326672684688674e-19]
 */
export function twoProduct(a: number, b: number): Dd {
  twoProductTo(a, b)
  return [H, L]
}
