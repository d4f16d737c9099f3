import type { Dd } from './dd'

/**
 * Error-free sum: `a + b = s + e` exactly, with `s = fl(a + b)` (Knuth 1969, TAOCP vol. 2, §4.2.2).
 * @example twoSum(1, 1e-20) // [1, 1e-20]
 */
export function twoSum(a: number, b: number): Dd {
  const s = a + b
  const bb = s - a
  return [s, a - (s - bb) + (b - bb)]
}
