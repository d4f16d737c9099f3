import type { RatioGroup } from './types'
import { ddAdd } from './internal/dd-add'
import { ddDiv } from './internal/dd-div'
import { ddMul } from './internal/dd-mul'

/**
 * A ratio metric's estimate R̂ = Σx/Σy (the ratio of the per-unit means x̄/ȳ) and the delta-method
 * variance of R̂ over n independent units (Deng, Knoblich & Lu 2018, "Applying the Delta Method in
 * Metric Analytics", KDD, eq. 3 and §3.1):
 *   Var(R̂) ≈ (1/n)·(s²x/ȳ² − 2x̄·sxy/ȳ³ + x̄²·s²y/ȳ⁴)
 * with the n − 1 sample (co)variances. Since x̄ − R̂ȳ = 0 this equals Σ(xᵢ − R̂yᵢ)²/((n − 1)·n·ȳ²), the
 * variance of the linearised per-unit values (xᵢ − R̂yᵢ)/ȳ, whose residual sum
 * Σx² − 2R̂Σxy + R̂²Σy² is formed in double-double so strongly correlated x and y lose no digits.
 * `unitVariance` is that per-unit variance (n·Var(R̂)), for power and sample size.
 * Null fields when n < 2 or Σy = 0 (no denominator, so no ratio); a negative residual sum (rounding
 * upstream of the sums) is clamped to 0.
 * @example ratioVariance({ n: 3, sumX: 6, sumY: 6, sumXSq: 14, sumYSq: 14, sumXY: 14 }) // { ratio: 1, variance: 0, unitVariance: 0 } (x = y)
 */
export function ratioVariance(g: RatioGroup): { ratio: number | null; variance: number | null; unitVariance: number | null } {
  if (!(g.n >= 1) || g.sumY === 0) return { ratio: null, variance: null, unitVariance: null }
  const r = ddDiv([g.sumX, 0], [g.sumY, 0])
  const ratio = r[0] + r[1]
  if (g.n < 2) return { ratio, variance: null, unitVariance: null }
  // Σx² − 2R·Σxy + R²·Σy², every product and sum in double-double.
  const cross = ddMul([2 * g.sumXY, 0], r)
  const square = ddMul(ddMul(r, r), [g.sumYSq, 0])
  const residual = ddAdd(ddAdd([g.sumXSq, 0], [-cross[0], -cross[1]]), square)
  const rss = Math.max(residual[0] + residual[1], 0)
  const meanY = g.sumY / g.n
  const unitVariance = rss / (g.n - 1) / (meanY * meanY)
  return { ratio, variance: unitVariance / g.n, unitVariance }
}
