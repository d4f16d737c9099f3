import { regularizedIncompleteGamma } from './regularized-incomplete-gamma'

/**
 * Chi-square upper tail P(χ²_k > x) = Q(k/2, x/2), the regularized upper incomplete gamma computed
 * directly in the tail (A&S 26.4.19); relative error ≤ 1e-13 down to 1e-300. 1 for x ≤ 0; NaN for k ≤ 0.
 * @example chiSquareSf(3.841458820694124, 1) // 0.05000000000000011 (mpmath: …06)
 */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN
  return regularizedIncompleteGamma(k / 2, x / 2).upper
}
