export interface AdjustedPValues {
  /** null when computed; otherwise why adjusted is null. */
  reason: string | null
  /** Adjusted p-values in input order, capped at 1. */
  adjusted: number[] | null
}

/**
 * Holm's step-down adjustment (Holm 1979): with p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = min(1, max_{j≤i} (m − j + 1)·p₍ⱼ₎),
 * returned in input order (as R's p.adjust(method = "holm")); monotone in the sorted order.
 * @example holm([0.01, 0.04, 0.03]) // { reason: null, adjusted: [0.03, 0.06, 0.06] }
 */
export function holm(pValues: number[]): AdjustedPValues {
  if (!Array.isArray(pValues) || !pValues.every((p) => typeof p === 'number' && p >= 0 && p <= 1)) {
    return { reason: 'p-values must be numbers in [0, 1]', adjusted: null }
  }
  const m = pValues.length
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]! || i - j)
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]!))
    adjusted[idx] = running
  })
  return { reason: null, adjusted }
}
