import type { RatioGroup } from '../types'

/**
 * Why a ratio group is unusable, or null: n a non-negative safe integer, sums finite, squares ≥ 0.
 * @example ratioGroupReason('control', { n: 2, sumX: 1, sumY: 1, sumXSq: -1, sumYSq: 1, sumXY: 1 }) // 'control: sums must be finite, sums of squares ≥ 0'
 */
export function ratioGroupReason(label: string, g: RatioGroup | undefined): string | null {
  if (typeof g !== 'object' || g === null) return `${label}: missing`
  if (!Number.isSafeInteger(g.n) || g.n < 0) return `${label}: n must be a non-negative integer ≤ 2⁵³ − 1`
  const sums = [g.sumX, g.sumY, g.sumXSq, g.sumYSq, g.sumXY]
  if (!sums.every(Number.isFinite) || g.sumXSq < 0 || g.sumYSq < 0) return `${label}: sums must be finite, sums of squares ≥ 0`
  return null
}
