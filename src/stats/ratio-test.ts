import type { Effect, RatioGroup } from './types'
import { alphaReason } from './internal/alpha-reason'
import { ratioDifference } from './internal/ratio-difference'
import { ratioGroupReason } from './internal/ratio-group-reason'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalPdf } from './normal-pdf'
import { normalQuantile } from './normal-quantile'
import { ratioVariance } from './ratio-variance'

export interface RatioTestInput {
  control: RatioGroup
  treatment: RatioGroup
  /** Two-sided significance level; the intervals have coverage 1 − alpha. Default 0.05. */
  alpha?: number
}

export interface RatioTestResult {
  /** null when every field was computed; otherwise why some are null. */
  reason: string | null
  /** The significance level used (null when the one given was not in (0, 1)). */
  alpha: number | null
  /** Σx/Σy of each arm. */
  controlRatio: number | null
  treatmentRatio: number | null
  /** Per-unit variance of the linearised ratio (n·Var(R̂)): what power and sample size need. */
  controlVariance: number | null
  treatmentVariance: number | null
  /** z = (R̂t − R̂c)/√(Var R̂c + Var R̂t). */
  z: number | null
  /** Two-sided p-value 2Φ(−|z|). */
  pValue: number | null
  /** R̂t − R̂c with its normal CI. */
  absolute: Effect
  /** R̂t/R̂c − 1 with its delta-method normal CI. */
  relative: Effect
  /** P(Rt > Rc) under Δ ~ N(R̂t − R̂c, SE²) (flat prior), as for mean metrics. */
  chanceToBeatControl: number | null
  /** E[max(−Δ, 0)] under the same normal approximation: the loss of shipping the treatment. */
  expectedLoss: number | null
}

const NONE: Effect = { estimate: null, standardError: null, ci: null }

/**
 * Two-sample test of a ratio metric (e.g. revenue per order, clicks per pageview) analysed per unit
 * with the delta method (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics",
 * KDD; src/stats/ratio-variance.ts): Var R̂ of each arm from Σx, Σy, Σx², Σy², Σxy; SE = √(Var R̂c +
 * Var R̂t); z = Δ/SE; p = 2Φ(−|z|); CI = Δ ± z_{1−α/2}·SE (the z-test, as the delta method is
 * asymptotic). Relative lift L = R̂t/R̂c − 1 with Var ≈ Var R̂t/R̂c² + R̂t²·Var R̂c/R̂c⁴ (the delta method
 * again, as for mean metrics). Chance to beat control Φ(Δ/SE) and expected loss SE·φ(z) − Δ·Φ(−z)
 * under the flat-prior normal approximation, as src/stats/chance-to-beat-control-mean.ts.
 * @example ratioTest({ control: { n: 4, sumX: 4, sumY: 8, sumXSq: 6, sumYSq: 18, sumXY: 10 }, treatment: { n: 4, sumX: 6, sumY: 8, sumXSq: 10, sumYSq: 18, sumXY: 13 } })
 * // controlRatio 0.5, treatmentRatio 0.75, absolute.estimate 0.25
 */
export function ratioTest(input: RatioTestInput): RatioTestResult {
  return jsonSafe(compute(input))
}

function compute(input: RatioTestInput): RatioTestResult {
  const alpha = input?.alpha ?? 0.05
  const invalid = alphaReason('alpha', alpha) ?? ratioGroupReason('control', input?.control) ?? ratioGroupReason('treatment', input?.treatment)
  const empty: RatioTestResult = {
    reason: invalid,
    alpha: alphaReason('alpha', alpha) === null ? alpha : null,
    controlRatio: null,
    treatmentRatio: null,
    controlVariance: null,
    treatmentVariance: null,
    z: null,
    pValue: null,
    absolute: NONE,
    relative: NONE,
    chanceToBeatControl: null,
    expectedLoss: null,
  }
  if (invalid !== null) return empty
  const c = ratioVariance(input.control)
  const t = ratioVariance(input.treatment)
  const base = { ...empty, controlRatio: c.ratio, treatmentRatio: t.ratio, controlVariance: c.unitVariance, treatmentVariance: t.unitVariance }
  if (input.control.n === 0 || input.treatment.n === 0) return { ...base, reason: 'n = 0 in a group' }
  if (c.ratio === null || t.ratio === null) return { ...base, reason: 'no denominator events in a group (Σy = 0): ratio undefined' }
  const diff = ratioDifference(input.treatment, input.control)
  const zeroRatio = 'control ratio is zero: relative lift undefined'
  const lift = c.ratio === 0 ? null : diff / c.ratio
  if (c.variance === null || t.variance === null) {
    return { ...base, reason: 'n < 2 in a group' + (lift === null ? `; ${zeroRatio}` : ''), absolute: { ...NONE, estimate: diff }, relative: { ...NONE, estimate: lift } }
  }
  const se = Math.sqrt(c.variance + t.variance)
  if (se === 0) {
    const reasons = ['zero variance in both groups', ...(lift === null ? [zeroRatio] : [])]
    return { ...base, reason: reasons.join('; '), absolute: { estimate: diff, standardError: 0, ci: null }, relative: { estimate: lift, standardError: lift === null ? null : 0, ci: null } }
  }
  const zCrit = -normalQuantile(alpha / 2)
  const z = diff / se
  let relative: Effect = NONE
  if (lift !== null) {
    const q = t.ratio / c.ratio
    const seRel = Math.sqrt(t.variance + q * q * c.variance) / Math.abs(c.ratio)
    relative = { estimate: lift, standardError: seRel, ci: [lift - zCrit * seRel, lift + zCrit * seRel] }
  }
  return {
    ...base,
    reason: lift === null ? zeroRatio : null,
    z,
    pValue: 2 * normalCdf(-Math.abs(z)),
    absolute: { estimate: diff, standardError: se, ci: [diff - zCrit * se, diff + zCrit * se] },
    relative,
    chanceToBeatControl: normalCdf(z),
    expectedLoss: se * normalPdf(z) - diff * normalCdf(-z),
  }
}
