import type { Effect, MeanGroup } from './types'
import { alphaReason } from './internal/alpha-reason'
import { differenceOfRatios } from './internal/difference-of-ratios'
import { groupReason } from './internal/group-reason'
import { jsonSafe } from './internal/json-safe'
import { sampleVariance } from './sample-variance'
import { studentTQuantile } from './student-t-quantile'
import { studentTSf } from './student-t-sf'

export interface WelchTTestInput {
  control: MeanGroup
  treatment: MeanGroup
  /** Two-sided significance level; the intervals have coverage 1 − alpha. Default 0.05. */
  alpha?: number
}

export interface WelchTTestResult {
  /** null when every field was computed; otherwise why some are null. */
  reason: string | null
  /** The significance level used (null when the one given was not in (0, 1)). */
  alpha: number | null
  controlMean: number | null
  treatmentMean: number | null
  controlVariance: number | null
  treatmentVariance: number | null
  /** Welch t = (ȳt − ȳc)/√(s²c/nc + s²t/nt). */
  t: number | null
  /** Welch–Satterthwaite degrees of freedom. */
  df: number | null
  /** Two-sided p-value 2·P(T_df > |t|). */
  pValue: number | null
  /** ȳt − ȳc, CI with the t_{df} quantile. */
  absolute: Effect
  /** ȳt/ȳc − 1, delta-method SE, CI with the same t_{df} quantile (as GrowthBook gbstats). */
  relative: Effect
}

const NONE: Effect = { estimate: null, standardError: null, ci: null }

/**
 * Welch's unequal-variance t-test from sufficient statistics (Welch 1947; Satterthwaite 1946 for df;
 * as scipy's `ttest_ind(equal_var=False)` and the legacy router's `analyze_continuous`,
 * docs/compatibility.md): ȳ = Σy/n, s² = (Σy² − (Σy)²/n)/(n−1)
 * (double-double, see sampleVariance), SE = √(s²c/nc + s²t/nt), t = (ȳt − ȳc)/SE,
 * df = SE⁴ / ((s²c/nc)²/(nc−1) + (s²t/nt)²/(nt−1)), p = 2·P(T_df > |t|), CI = Δ ± t_{1−α/2, df}·SE.
 * Relative lift L = ȳt/ȳc − 1, Var ≈ s²t/(nt ȳc²) + ȳt² s²c/(nc ȳc⁴) (delta method, as gbstats).
 * @example welchTTest({ control: { n: 3, sum: 6, sumSq: 14 }, treatment: { n: 3, sum: 9, sumSq: 29 } })
 * // t ≈ 1.2247, df = 4, pValue ≈ 0.2879, absolute.ci ≈ [-1.267, 3.267]
 */
export function welchTTest(input: WelchTTestInput): WelchTTestResult {
  return jsonSafe(compute(input))
}

function compute(input: WelchTTestInput): WelchTTestResult {
  const alpha = input?.alpha ?? 0.05
  const invalid =
    alphaReason('alpha', alpha) ??
    groupReason('control', input?.control, 'mean') ??
    groupReason('treatment', input?.treatment, 'mean')
  const empty: WelchTTestResult = {
    reason: invalid,
    alpha: alphaReason('alpha', alpha) === null ? alpha : null,
    controlMean: null,
    treatmentMean: null,
    controlVariance: null,
    treatmentVariance: null,
    t: null,
    df: null,
    pValue: null,
    absolute: NONE,
    relative: NONE,
  }
  if (invalid !== null) return empty
  const c = input.control
  const tr = input.treatment
  if (c.n === 0 || tr.n === 0) return { ...empty, reason: 'n = 0 in a group' }
  const mc = c.sum / c.n
  const mt = tr.sum / tr.n
  const diff = differenceOfRatios(tr.sum, tr.n, c.sum, c.n)
  const base = { ...empty, controlMean: mc, treatmentMean: mt }
  const liftEstimate = mc === 0 ? null : diff / mc
  const zeroMean = 'control mean is zero: relative lift undefined'
  if (c.n < 2 || tr.n < 2) {
    return {
      ...base,
      reason: 'n < 2 in a group' + (mc === 0 ? `; ${zeroMean}` : ''),
      absolute: { ...NONE, estimate: diff },
      relative: { ...NONE, estimate: liftEstimate },
    }
  }
  const vc = sampleVariance(c)
  const vt = sampleVariance(tr)
  const a = vc / c.n
  const b = vt / tr.n
  const reasons: string[] = []
  if (a === 0 && b === 0) {
    reasons.push('zero variance in both groups')
    if (mc === 0) reasons.push(zeroMean)
    return {
      ...base,
      reason: reasons.join('; '),
      controlVariance: vc,
      treatmentVariance: vt,
      absolute: { estimate: diff, standardError: 0, ci: null },
      relative: { estimate: liftEstimate, standardError: mc === 0 ? null : 0, ci: null },
    }
  }
  const se = Math.sqrt(a + b)
  // Welch–Satterthwaite df, scaled by max(a, b) so neither the 4th powers under- nor overflow
  const m = Math.max(a, b)
  const ra = a / m
  const rb = b / m
  const df = ((ra + rb) * (ra + rb)) / ((ra * ra) / (c.n - 1) + (rb * rb) / (tr.n - 1))
  const t = diff / se
  const pValue = 2 * studentTSf(Math.abs(t), df)
  const tCrit = -studentTQuantile(alpha / 2, df)
  let relative: Effect = NONE
  if (mc === 0) reasons.push(zeroMean)
  else {
    const lift = diff / mc
    const ratio = mt / mc
    const seRel = Math.sqrt(b + ratio * ratio * a) / Math.abs(mc)
    relative = { estimate: lift, standardError: seRel, ci: [lift - tCrit * seRel, lift + tCrit * seRel] }
  }
  return {
    reason: reasons.length > 0 ? reasons.join('; ') : null,
    alpha,
    controlMean: mc,
    treatmentMean: mt,
    controlVariance: vc,
    treatmentVariance: vt,
    t,
    df,
    pValue,
    absolute: { estimate: diff, standardError: se, ci: [diff - tCrit * se, diff + tCrit * se] },
    relative,
  }
}
