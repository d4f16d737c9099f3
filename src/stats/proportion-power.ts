import { alphaReason } from './internal/alpha-reason'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalQuantile } from './normal-quantile'

export interface ProportionPowerInput {
  p1: number
  p2: number
  n1: number
  n2: number
  /** Two-sided significance level, default 0.05. */
  alpha?: number
}

export interface PowerResult {
  /** null when computed; otherwise why power is null. */
  reason: string | null
  power: number | null
}

/**
 * Power of the two-sided two-proportion z-test with unpooled SE (Chow, Shao & Wang 2008, §4.2):
 * SE = √(p₁q₁/n₁ + p₂q₂/n₂), δ = p₂ − p₁, power = Φ(δ/SE − z*) + Φ(−δ/SE − z*), z* = Φ⁻¹(1 − α/2).
 * (The legacy router's `_calculate_power` keeps only the first term: docs/design.md, "Power and sample size".)
 * @example proportionPower({ p1: 0.15, p2: 0.18, n1: 1000, n2: 1000 }) // { reason: null, power: 0.43998… }
 */
export function proportionPower(input: ProportionPowerInput): PowerResult {
  return jsonSafe(compute(input))
}

function compute(input: ProportionPowerInput): PowerResult {
  const alpha = input?.alpha ?? 0.05
  const { p1, p2, n1, n2 } = input ?? {}
  const invalid = alphaReason('alpha', alpha)
  if (invalid !== null) return { reason: invalid, power: null }
  if (!(typeof p1 === 'number' && p1 >= 0 && p1 <= 1 && typeof p2 === 'number' && p2 >= 0 && p2 <= 1)) {
    return { reason: 'p1 and p2 must be rates in [0, 1]', power: null }
  }
  if (!(typeof n1 === 'number' && n1 > 0 && Number.isFinite(n1) && typeof n2 === 'number' && n2 > 0 && Number.isFinite(n2))) {
    return { reason: 'n1 and n2 must be positive', power: null }
  }
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2)
  const delta = p2 - p1
  if (se === 0) {
    return delta === 0 ? { reason: 'zero variance: both rates are 0 or 1 and equal', power: null } : { reason: null, power: 1 }
  }
  const zAlpha = -normalQuantile(alpha / 2)
  const ratio = delta / se
  return { reason: null, power: normalCdf(ratio - zAlpha) + normalCdf(-ratio - zAlpha) }
}
