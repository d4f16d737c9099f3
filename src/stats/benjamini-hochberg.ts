import type { AdjustedPValues } from './holm'

/**
 * Benjamini–Hochberg step-up adjustment controlling the false discovery rate (Benjamini & Hochberg 1995):
 * with p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = min(1, min_{j≥i} m·p₍ⱼ₎/j), returned in input order (as R's
 * p.adjust(method = "BH")); monotone in the sorted order.
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // { reason: null, adjusted: [0.03, 0.04, 0.04] }
 */
export function benjaminiHochberg(pValues: number[]): AdjustedPValues {
  if (!Array.isArray(pValues) || !pValues.every((p) => typeof p === 'number' && p >= 0 && p <= 1)) {
    return { reason: 'p-values must be numbers in [0, 1]', adjusted: null }
  }
  const m = pValues.length
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]! || i - j)
  const adjusted = new Array<number>(m)
  let running = 1
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank]!
    running = Math.min(running, (m * pValues[idx]!) / (rank + 1))
    adjusted[idx] = running
  }
  return { reason: null, adjusted }
}
