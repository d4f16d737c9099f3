import type { BinomialGroup, MeanGroup } from '../types'

/**
 * Why a group's sufficient statistics are unusable, or null when they are fine. Binomial: n and x
 * non-negative (safe) integers with x ≤ n. Mean: n a non-negative integer, sum and sumSq finite, sumSq ≥ 0.
 * @example groupReason('control', { n: 10, x: 11 }, 'binomial') // 'control: x must be an integer in [0, n]'
 */
export function groupReason(
  label: string,
  group: BinomialGroup | MeanGroup | undefined,
  kind: 'binomial' | 'mean',
): string | null {
  if (typeof group !== 'object' || group === null) return `${label}: missing`
  const { n } = group
  if (!Number.isSafeInteger(n) || n < 0) return `${label}: n must be a non-negative integer ≤ 2⁵³ − 1`
  if (kind === 'binomial') {
    const { x } = group as BinomialGroup
    if (!Number.isInteger(x) || x < 0 || x > n) return `${label}: x must be an integer in [0, n]`
    return null
  }
  const { sum, sumSq } = group as MeanGroup
  if (!Number.isFinite(sum) || !Number.isFinite(sumSq) || sumSq < 0) {
    return `${label}: sum and sumSq must be finite, sumSq ≥ 0`
  }
  return null
}
