import { normalCdf } from './normal-cdf'

/**
 * Standard normal upper tail 1 − Φ(x), computed as Φ(−x) (Cody's algorithm evaluates the small tail
 * directly, so this keeps full relative accuracy up to x = 37.5). Two-sided p-values are 2·normalSf(|z|).
 * @example normalSf(8) // 6.220960574271785e-16
 */
export function normalSf(x: number): number {
  return normalCdf(-x)
}
