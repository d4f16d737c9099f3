import { betaPmfSum } from './beta-pmf-sum'

/**
 * E[(X₂ − X₁)⁺] for independent X₁ ~ Beta(a₁, b₁), X₂ ~ Beta(a₂, b₂), as ONE sum of Evan Miller's
 * terms (so the two tiny probabilities of Stucchio's form E[X₂]·h(…) − E[X₁]·h(…) never cancel):
 * with tᵢ the law of betaPmfSum, E[X₂·1{X₂>X₁}] = a₂/(a₂+b₂)·Σ_{i≤a₂} tᵢ and E[X₁·1{X₂>X₁}] =
 * Σ_{i<a₂} tᵢ(a₁+i)/(a₁+b₁+b₂+i), hence
 *   (a₂+b₂)·E[(X₂−X₁)⁺] = Σ_{i<a₂} tᵢ·(a₂b₁ + b₂(a₂ − a₁ − i))/(a₁+b₁+b₂+i) + a₂·t_{a₂}
 * (the bracket is exact for integer parameters). Needs a₂ or, by the mirror image
 * E[(X₂−X₁)⁺] = E[((1−X₁) − (1−X₂))⁺], b₁ to be a positive integer; null otherwise.
 * @example betaPositivePart(1, 1, 1, 1) // 0.16666666666666666 (E[(U₂ − U₁)⁺] = 1/6)
 */
export function betaPositivePart(a1: number, b1: number, a2: number, b2: number): number | null {
  const useA2 = Number.isInteger(a2) && a2 >= 1 && (!(Number.isInteger(b1) && b1 >= 1) || a2 <= b1)
  if (!useA2) {
    if (!(Number.isInteger(b1) && b1 >= 1)) return null
    return betaPositivePart(b2, a2, b1, a1)
  }
  const s = a1 + b1 + b2
  const weight = (i: number): number => (i === a2 ? a2 : (a2 * b1 + b2 * (a2 - a1 - i)) / (s + i))
  return betaPmfSum(a1, b1, b2, a2 + 1, weight, a2 + b2) / (a2 + b2)
}
