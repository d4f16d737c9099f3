import type { BinomialGroup, Effect } from './types'
import { alphaReason } from './internal/alpha-reason'
import { differenceOfRatios } from './internal/difference-of-ratios'
import { groupReason } from './internal/group-reason'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalQuantile } from './normal-quantile'

export interface TwoProportionTestInput {
  control: BinomialGroup
  treatment: BinomialGroup
  /** Two-sided significance level; the intervals have coverage 1 − alpha. Default 0.05. */
  alpha?: number
}

export interface TwoProportionTestResult {
  /** null when every field was computed; otherwise why some are null. */
  reason: string | null
  /** The significance level used (null when the one given was not in (0, 1)). */
  alpha: number | null
  controlRate: number | null
  treatmentRate: number | null
  /** Pooled z statistic (p̂t − p̂c)/√(p̄(1−p̄)(1/nc + 1/nt)). */
  z: number | null
  /** Two-sided p-value 2Φ(−|z|). */
  pValue: number | null
  /** p̂t − p̂c with the unpooled SE and Wald interval. */
  absolute: Effect
  /** p̂t/p̂c − 1 with the delta-method SE and interval. */
  relative: Effect
}

const NONE: Effect = { estimate: null, standardError: null, ci: null }

/**
 * Two-proportion z-test, as the legacy router's `analyze_conversion` (docs/compatibility.md; docs/design.md,
 * "Binomial metrics"): z = (p̂t − p̂c)/√(p̄q̄(1/nc + 1/nt)) with the
 * pooled p̄ = (xc + xt)/(nc + nt), p = 2Φ(−|z|); the absolute difference's CI uses the unpooled
 * SE √(p̂c q̂c/nc + p̂t q̂t/nt), z* = Φ⁻¹(1 − α/2). Relative lift L = p̂t/p̂c − 1 with the delta method
 * (Casella & Berger, Statistical Inference, Thm 5.5.24; Deng et al. 2018, "Applying the delta method in
 * metric analytics"; GrowthBook gbstats): Var(p̂t/p̂c) ≈ Var(p̂t)/p̂c² + p̂t²·Var(p̂c)/p̂c⁴ with
 * Var(p̂) = p̂q̂/n, CI = L ± z*·√Var.
 * @example twoProportionTest({ control: { n: 1000, x: 150 }, treatment: { n: 1000, x: 180 } })
 * // z ≈ 1.8073, pValue 0.0707214834093…, absolute.ci ≈ [-0.00251, 0.06251], relative.estimate 0.2
 */
export function twoProportionTest(input: TwoProportionTestInput): TwoProportionTestResult {
  return jsonSafe(compute(input))
}

function compute(input: TwoProportionTestInput): TwoProportionTestResult {
  const alpha = input?.alpha ?? 0.05
  const invalid =
    alphaReason('alpha', alpha) ??
    groupReason('control', input?.control, 'binomial') ??
    groupReason('treatment', input?.treatment, 'binomial')
  const empty: TwoProportionTestResult = {
    reason: invalid,
    alpha: alphaReason('alpha', alpha) === null ? alpha : null,
    controlRate: null,
    treatmentRate: null,
    z: null,
    pValue: null,
    absolute: NONE,
    relative: NONE,
  }
  if (invalid !== null) return empty
  const { n: nc, x: xc } = input.control
  const { n: nt, x: xt } = input.treatment
  if (nc === 0 || nt === 0) return { ...empty, reason: 'n = 0 in a group' }
  const reasons: string[] = []
  const pc = xc / nc
  const pt = xt / nt
  const qc = (nc - xc) / nc // 1 − p̂, without rounding 1 − p̂
  const qt = (nt - xt) / nt
  const diff = differenceOfRatios(xt, nt, xc, nc)
  const zCrit = -normalQuantile(alpha / 2)

  let z: number | null = null
  let pValue: number | null = null
  const xs = xc + xt
  const ns = nc + nt
  if (xs === 0) reasons.push('no conversions in either group')
  else if (xs === ns) reasons.push('all units converted in both groups')
  else {
    const pooled = xs / ns
    const pooledQ = (ns - xs) / ns
    const se = Math.sqrt(pooled * pooledQ * (1 / nc + 1 / nt))
    z = diff / se
    pValue = 2 * normalCdf(-Math.abs(z))
  }

  const varC = (pc * qc) / nc
  const varT = (pt * qt) / nt
  const se = Math.sqrt(varC + varT)
  const absolute: Effect = { estimate: diff, standardError: se, ci: [diff - zCrit * se, diff + zCrit * se] }

  let relative: Effect = NONE
  if (pc === 0) reasons.push('control rate is zero: relative lift undefined')
  else {
    const lift = diff / pc
    const ratio = pt / pc
    const seRel = Math.sqrt(varT + ratio * ratio * varC) / pc
    relative = { estimate: lift, standardError: seRel, ci: [lift - zCrit * seRel, lift + zCrit * seRel] }
  }
  return {
    reason: reasons.length > 0 ? reasons.join('; ') : null,
    alpha,
    controlRate: pc,
    treatmentRate: pt,
    z,
    pValue,
    absolute,
    relative,
  }
}
