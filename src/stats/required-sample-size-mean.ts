import type { SampleSizeResult } from './required-sample-size'
import { alphaReason } from './internal/alpha-reason'
import { jsonSafe } from './internal/json-safe'
import { normalQuantile } from './normal-quantile'

export interface RequiredSampleSizeMeanInput {
  /** Per-unit standard deviation σ (assumed equal in both arms). */
  sd: number
  /** Absolute difference in means δ to detect. */
  delta: number
  /** Two-sided significance level, default 0.05. */
  alpha?: number
  /** Power 1 − β, default 0.8. */
  power?: number
}

/**
 * Units per variant for a two-sided two-sample z-test on means with equal allocation (Chow, Shao &
 * Wang 2008, §3.2.1): n = 2(z* + z_β)²σ²/δ², z* = Φ⁻¹(1 − α/2), z_β = Φ⁻¹(power).
 * @example requiredSampleSizeMean({ sd: 1, delta: 0.1 }) // { reason: null, sampleSize: 1570, raw: 1569.77… }
 */
export function requiredSampleSizeMean(input: RequiredSampleSizeMeanInput): SampleSizeResult {
  return jsonSafe(compute(input))
}

function compute(input: RequiredSampleSizeMeanInput): SampleSizeResult {
  const alpha = input?.alpha ?? 0.05
  const power = input?.power ?? 0.8
  const sd = input?.sd
  const delta = input?.delta
  const fail = (reason: string): SampleSizeResult => ({ reason, sampleSize: null, raw: null })
  const invalid = alphaReason('alpha', alpha) ?? alphaReason('power', power)
  if (invalid !== null) return fail(invalid)
  if (!(typeof sd === 'number' && sd > 0 && Number.isFinite(sd))) return fail('sd must be positive and finite')
  if (!(typeof delta === 'number' && Number.isFinite(delta))) return fail('delta must be finite')
  if (delta === 0) return fail('delta is zero: no effect to detect')
  const z = -normalQuantile(alpha / 2) + normalQuantile(power)
  if (!(z > 0)) return fail('power too low for this formula (z* + z_β not positive)')
  const ratio = (z * sd) / delta
  const raw = 2 * ratio * ratio
  return { reason: null, sampleSize: Math.ceil(raw), raw }
}
