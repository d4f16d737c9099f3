import { betaPmfSum } from './beta-pmf-sum'

const one = (): number => 1
const massBelow = (a1: number, b1: number, b2: number, m: number): number => betaPmfSum(a1, b1, b2, m, one)

function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 1
}

/**
 * For X₁ ~ Beta(a₁, b₁), X₂ ~ Beta(a₂, b₂): `greater` = P(X₂ > X₁) and `less` = P(X₂ < X₁), by Evan
 * Miller's closed form ("Formulas for Bayesian A/B testing", 2014):
 * P(X₂ > X₁) = Σ_{i=0}^{a₂−1} B(a₁+i, b₁+b₂)/((b₂+i)·B(1+i, b₂)·B(a₁, b₁)), or its mirror images summing
 * over b₁ (P(X₂ > X₁) = P(1−X₁ > 1−X₂)), a₁ or b₂ (for P(X₂ < X₁)). The side expected to be smaller
 * (by the posterior means) is summed directly — over the smaller integer index, walking out from
 * the mode so the cost is O(spread) rather than O(index) — and the other is 1 minus it. Returns null
 * when neither index of the needed side is a positive integer (e.g. non-integer prior parameters).
 * @example betaExceedance(1, 1, 2, 1) // { greater: 0.6666666666666666, less: 0.33333333333333337 }
 */
export function betaExceedance(
  a1: number,
  b1: number,
  a2: number,
  b2: number,
): { greater: number; less: number } | null {
  const greaterIsSmall = a2 / (a2 + b2) <= a1 / (a1 + b1)
  // candidate finite sums for the side we compute directly: [index, evaluate]
  const options: Array<[number, () => number]> = greaterIsSmall
    ? [
        [a2, () => massBelow(a1, b1, b2, a2)],
        [b1, () => massBelow(b2, a2, a1, b1)],
      ]
    : [
        [a1, () => massBelow(a2, b2, b1, a1)],
        [b2, () => massBelow(b1, a1, a2, b2)],
      ]
  const usable = options.filter(([index]) => isCount(index)).sort((x, y) => x[0] - y[0])
  if (usable.length === 0) return null
  const direct = Math.min(1, usable[0]![1]())
  return greaterIsSmall ? { greater: direct, less: 1 - direct } : { greater: 1 - direct, less: direct }
}
