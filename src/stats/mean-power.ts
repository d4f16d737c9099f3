import type { PowerResult } from './proportion-power'
import { alphaReason } from './internal/alpha-reason'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalQuantile } from './normal-quantile'

export interface MeanPowerInput {
  /** Per-unit standard deviation σ (assumed equal in both arms). */
  sd: number
  /** Absolute difference in means δ. */
  delta: number
  n1: number
  n2: number
  /** Two-sided significance level, default 0.05. */
  alpha?: number
}

/**
 * Power of the two-sided two-sample z-test on means: SE = σ√(1/n₁ + 1/n₂),
 * power = Φ(δ/SE − z*) + Φ(−δ/SE − z*), z* = Φ⁻¹(1 − α/2) (Chow, Shao & Wang 2008, §3.2.1).
 * @example meanPower({ sd: 1, delta: 0.1, n1: 1570, n2: 1570 }) // { reason: null, power: 0.80005… }
 */
export function meanPower(input: MeanPowerInput): PowerResult {
  return jsonSafe(compute(input))
}

function compute(input: MeanPowerInput): PowerResult {
  const alpha = input?.alpha ?? 0.05
  const { sd, delta, n1, n2 } = input ?? {}
  const invalid = alphaReason('alpha', alpha)
  if (invalid !== null) return { reason: invalid, power: null }
  if (!(typeof sd === 'number' && sd > 0 && Number.isFinite(sd))) return { reason: 'sd must be positive and finite', power: null }
  if (!(typeof delta === 'number' && Number.isFinite(delta))) return { reason: 'delta must be finite', power: null }
  if (!(typeof n1 === 'number' && n1 > 0 && Number.isFinite(n1) && typeof n2 === 'number' && n2 > 0 && Number.isFinite(n2))) {
    return { reason: 'n1 and n2 must be positive', power: null }
  }
  const se = sd * Math.sqrt(1 / n1 + 1 / n2)
  const zAlpha = -normalQuantile(alpha / 2)
  const ratio = delta / se
  return { reason: null, power: normalCdf(ratio - zAlpha) + normalCdf(-ratio - zAlpha) }
}
