import type { BinomialGroup, Interval, MeanGroup, RatioGroup } from './types'
import { ratioDifference } from './internal/ratio-difference'
import { ratioGroupReason } from './internal/ratio-group-reason'
import { ratioVariance } from './ratio-variance'
import { alphaReason } from './internal/alpha-reason'
import { differenceOfRatios } from './internal/difference-of-ratios'
import { groupReason } from './internal/group-reason'
import { jsonSafe } from './internal/json-safe'
import { sampleVariance } from './sample-variance'

export type SequentialTestInput =
  | { kind: 'proportion'; control: BinomialGroup; treatment: BinomialGroup; alpha?: number; nStar?: number }
  | { kind: 'mean'; control: MeanGroup; treatment: MeanGroup; alpha?: number; nStar?: number }
  | { kind: 'ratio'; control: RatioGroup; treatment: RatioGroup; alpha?: number; nStar?: number }

export interface SequentialTestResult {
  /** null when computed; otherwise why the numeric fields are null. */
  reason: string | null
  /** The significance level used (null when the one given was not in (0, 1)). */
  alpha: number | null
  /** The tuning parameter used (null when the one given was not positive). */
  nStar: number | null
  /** Difference treatment − control (rates or means). */
  estimate: number | null
  /** √(σ̂²c/nc + σ̂²t/nt). */
  standardError: number | null
  /** Mixing parameter ρ, tuned so the sequence is narrowest at N = nStar. */
  rho: number | null
  /** Always-valid (1 − α) confidence sequence for the difference at the current N. */
  ci: Interval | null
  /** Always-valid p-value: the smallest α at which the sequence (same ρ) excludes 0; in [0, 1]. */
  pValue: number | null
}

/**
 * Always-valid inference for a difference in means or proportions with the asymptotic confidence
 * sequence of Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas ("Time-uniform central limit theory and
 * asymptotic confidence sequences", Ann. Statist. 2024; arXiv:2103.06476v7, eq. 155 for the p-value and
 * eq. 161 for ρ as cited by gbstats), exactly as GrowthBook's gbstats SequentialTwoSidedTTest
 * (sequentialRho, sequentialIntervalHalfwidth, pValue): with N = nc + nt, SE² = σ̂²c/nc + σ̂²t/nt (σ̂² = p̂(1−p̂)
 * for proportions, the n−1 sample variance for means),
 *   ρ² = (−2 ln α + ln(1 − 2 ln α)) / N*,
 *   half-width = √(N·SE²) · √( 2(Nρ² + 1)/(N²ρ²) · ln(√(Nρ² + 1)/α) ),
 *   p = min(1, √(Nρ² + 1) · exp(−ρ²N·(Δ/SE)² / (2(Nρ² + 1)))),
 * so p ≤ α exactly when the sequence excludes 0. Default N* = 5000, α = 0.05. A ratio metric uses
 * its delta-method variances (src/stats/ratio-variance.ts) as σ̂²/n, as gbstats does for ratios.
 * @example sequentialTest({ kind: 'proportion', control: { n: 1000, x: 150 }, treatment: { n: 1000, x: 180 } })
 * // ci ≈ [-0.0218, 0.0818], pValue ≈ 0.589 (the fixed-horizon test gives [-0.0025, 0.0625], 0.0707)
 */
export function sequentialTest(input: SequentialTestInput): SequentialTestResult {
  return jsonSafe(compute(input))
}

function compute(input: SequentialTestInput): SequentialTestResult {
  const alpha = input?.alpha ?? 0.05
  const nStar = input?.nStar ?? 5000
  const kind = input?.kind
  const empty: SequentialTestResult = {
    reason: null,
    alpha: alphaReason('alpha', alpha) === null ? alpha : null,
    nStar: typeof nStar === 'number' && nStar > 0 && Number.isFinite(nStar) ? nStar : null,
    estimate: null,
    standardError: null,
    rho: null,
    ci: null,
    pValue: null,
  }
  const fail = (reason: string): SequentialTestResult => ({ ...empty, reason })
  if (kind !== 'proportion' && kind !== 'mean' && kind !== 'ratio') return fail("kind must be 'proportion', 'mean' or 'ratio'")
  const groupKind = kind === 'proportion' ? 'binomial' : 'mean'
  const invalid =
    alphaReason('alpha', alpha) ??
    (typeof nStar === 'number' && nStar > 0 && Number.isFinite(nStar) ? null : 'nStar must be positive and finite') ??
    (input.kind === 'ratio'
      ? (ratioGroupReason('control', input.control) ?? ratioGroupReason('treatment', input.treatment))
      : (groupReason('control', input.control, groupKind) ?? groupReason('treatment', input.treatment, groupKind)))
  if (invalid !== null) return fail(invalid)
  const nc = input.control.n
  const nt = input.treatment.n
  let estimate: number
  let varC: number
  let varT: number
  if (input.kind === 'proportion') {
    if (nc === 0 || nt === 0) return fail('n = 0 in a group')
    const { x: xc } = input.control
    const { x: xt } = input.treatment
    estimate = differenceOfRatios(xt, nt, xc, nc)
    varC = ((xc / nc) * ((nc - xc) / nc)) / nc
    varT = ((xt / nt) * ((nt - xt) / nt)) / nt
  } else if (input.kind === 'ratio') {
    if (nc < 2 || nt < 2) return fail('n < 2 in a group')
    const c = ratioVariance(input.control)
    const t = ratioVariance(input.treatment)
    if (c.variance === null || t.variance === null) return fail('no denominator events in a group (Σy = 0): ratio undefined')
    estimate = ratioDifference(input.treatment, input.control)
    varC = c.variance
    varT = t.variance
  } else {
    if (nc < 2 || nt < 2) return fail('n < 2 in a group')
    estimate = differenceOfRatios(input.treatment.sum, nt, input.control.sum, nc)
    varC = sampleVariance(input.control) / nc
    varT = sampleVariance(input.treatment) / nt
  }
  const se = Math.sqrt(varC + varT)
  const lnAlpha = Math.log(alpha)
  const rho2 = (-2 * lnAlpha + Math.log1p(-2 * lnAlpha)) / nStar
  const rho = Math.sqrt(rho2)
  const base = { ...empty, estimate, rho }
  if (se === 0) {
    const reason = kind === 'proportion' ? 'zero variance in both groups (all rates 0 or 1)' : 'zero variance in both groups'
    return { ...base, reason, standardError: 0 }
  }
  const n = nc + nt
  const nr = n * rho2 // Nρ²
  // √(N·SE²)·√(2(Nρ²+1)/(N²ρ²)·ln(√(Nρ²+1)/α)) = SE·√(2(Nρ²+1)/(Nρ²)·(½ln(1+Nρ²) − ln α))
  const halfWidth = se * Math.sqrt(((2 * (nr + 1)) / nr) * (0.5 * Math.log1p(nr) - lnAlpha))
  const z = estimate / se
  const lnP = 0.5 * Math.log1p(nr) - (nr * z * z) / (2 * (nr + 1))
  const pValue = lnP >= 0 ? 1 : Math.exp(lnP)
  return { ...base, standardError: se, ci: [estimate - halfWidth, estimate + halfWidth], pValue }
}
