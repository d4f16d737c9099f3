import { alphaReason } from './internal/alpha-reason'
import { jsonSafe } from './internal/json-safe'
import { normalQuantile } from './normal-quantile'

export interface RequiredSampleSizeInput {
  /** Baseline conversion rate p₁ ∈ [0, 1]. */
  baseline: number
  /** Rate p₂ ∈ [0, 1] the test should detect. */
  expected: number
  /** Two-sided significance level, default 0.05. */
  alpha?: number
  /** Power 1 − β, default 0.8. */
  power?: number
}

export interface SampleSizeResult {
  /** null when computed; otherwise why sampleSize and raw are null. */
  reason: string | null
  /** Units per variant: ⌈raw⌉. */
  sampleSize: number | null
  /** The formula's value before rounding up. */
  raw: number | null
}

/**
 * Units per variant for a two-sided two-proportion test (statsmodels'
 * `samplesize_proportions_2indep_onetail`; Fleiss, Levin & Paik 2003, eq. 4.14 without continuity
 * correction; also the legacy router's `_required_sample_size`, docs/design.md "Power and sample
 * size"): n = [z*·√(2p̄q̄) + z_β·√(p₁q₁ + p₂q₂)]² / δ², p̄ = (p₁+p₂)/2, δ = p₂ − p₁,
 * z* = Φ⁻¹(1 − α/2), z_β = Φ⁻¹(power).
 * @example requiredSampleSize({ baseline: 0.15, expected: 0.18 }) // { reason: null, sampleSize: 2402, raw: 2401.88… }
 */
export function requiredSampleSize(input: RequiredSampleSizeInput): SampleSizeResult {
  return jsonSafe(compute(input))
}

function compute(input: RequiredSampleSizeInput): SampleSizeResult {
  const alpha = input?.alpha ?? 0.05
  const power = input?.power ?? 0.8
  const p1 = input?.baseline
  const p2 = input?.expected
  const fail = (reason: string): SampleSizeResult => ({ reason, sampleSize: null, raw: null })
  const invalid = alphaReason('alpha', alpha) ?? alphaReason('power', power)
  if (invalid !== null) return fail(invalid)
  if (!(typeof p1 === 'number' && p1 >= 0 && p1 <= 1 && typeof p2 === 'number' && p2 >= 0 && p2 <= 1)) {
    return fail('baseline and expected must be rates in [0, 1]')
  }
  if (p1 === p2) return fail('baseline equals expected: no effect to detect')
  const zAlpha = -normalQuantile(alpha / 2)
  const zBeta = normalQuantile(power)
  const pBar = (p1 + p2) / 2
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
  if (!(root > 0)) return fail('power too low for this formula (z* + z_β terms not positive)')
  const delta = p2 - p1
  const raw = (root * root) / (delta * delta)
  return { reason: null, sampleSize: Math.ceil(raw), raw }
}
