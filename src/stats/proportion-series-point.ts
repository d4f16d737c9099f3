import type { BinomialGroup, Interval } from './types'
import { alphaReason } from './internal/alpha-reason'
import { differenceOfRatios } from './internal/difference-of-ratios'
import { groupReason } from './internal/group-reason'
import { normalCdf } from './normal-cdf'
import { normalQuantile } from './normal-quantile'
import { sequentialTest } from './sequential-test'
import { twoProportionTest } from './two-proportion-test'

/** The four numbers a daily series point shows for one treatment (src/results/series.ts). */
export interface ProportionSeriesPoint {
  pValue: number | null
  ci: Interval | null
  sequentialPValue: number | null
  sequentialCi: Interval | null
}

// The constants of the last settings seen: a series asks with the same alpha and N* for every day.
let lastAlpha = Number.NaN
let lastNStar = Number.NaN
let zCrit = Number.NaN
let lnAlpha = Number.NaN
let rho2 = Number.NaN

/**
 * twoProportionTest's pValue and absolute.ci with sequentialTest's ('proportion') pValue and ci, the
 * same numbers bit for bit (the same operations in the same order: see those files for the formulas)
 * without building their result objects, and with z* = −Φ⁻¹(α/2), ln α and ρ² computed once per
 * settings rather than once per day and treatment. Whenever either test would answer with a reason
 * (invalid input, n = 0, no or all conversions, zero variance, a non-finite number) it calls them.
 * @example proportionSeriesPoint({ n: 1000, x: 150 }, { n: 1000, x: 180 }, 0.05, 5000).pValue // 0.0707214834093…
 */
export function proportionSeriesPoint(control: BinomialGroup, treatment: BinomialGroup, alpha: number, nStar: number): ProportionSeriesPoint {
  const { n: nc, x: xc } = control
  const { n: nt, x: xt } = treatment
  const xs = xc + xt
  const ns = nc + nt
  const usable =
    groupReason('control', control, 'binomial') === null &&
    groupReason('treatment', treatment, 'binomial') === null &&
    alphaReason('alpha', alpha) === null &&
    typeof nStar === 'number' &&
    nStar > 0 &&
    Number.isFinite(nStar) &&
    nc !== 0 &&
    nt !== 0 &&
    xs !== 0 &&
    xs !== ns
  if (usable) {
    if (!Object.is(alpha, lastAlpha) || !Object.is(nStar, lastNStar)) {
      zCrit = -normalQuantile(alpha / 2)
      lnAlpha = Math.log(alpha)
      rho2 = (-2 * lnAlpha + Math.log1p(-2 * lnAlpha)) / nStar
      lastAlpha = alpha
      lastNStar = nStar
    }
    const diff = differenceOfRatios(xt, nt, xc, nc)
    // twoProportionTest: pooled z, then the unpooled SE (the sequential test's SE too).
    const pooled = xs / ns
    const pooledQ = (ns - xs) / ns
    const z = diff / Math.sqrt(pooled * pooledQ * (1 / nc + 1 / nt))
    const pValue = 2 * normalCdf(-Math.abs(z))
    const varC = ((xc / nc) * ((nc - xc) / nc)) / nc
    const varT = ((xt / nt) * ((nt - xt) / nt)) / nt
    const se = Math.sqrt(varC + varT)
    const lo = diff - zCrit * se
    const hi = diff + zCrit * se
    // sequentialTest, proportion kind.
    const nr = (nc + nt) * rho2
    const halfWidth = se * Math.sqrt(((2 * (nr + 1)) / nr) * (0.5 * Math.log1p(nr) - lnAlpha))
    const zs = diff / se
    const lnP = 0.5 * Math.log1p(nr) - (nr * zs * zs) / (2 * (nr + 1))
    const sequentialPValue = lnP >= 0 ? 1 : Math.exp(lnP)
    const sLo = diff - halfWidth
    const sHi = diff + halfWidth
    if (se !== 0 && Number.isFinite(pValue + lo + hi + sequentialPValue + sLo + sHi + Math.sqrt(rho2))) {
      return { pValue, ci: [lo, hi], sequentialPValue, sequentialCi: [sLo, sHi] }
    }
  }
  const fixed = twoProportionTest({ control, treatment, alpha })
  const seq = sequentialTest({ kind: 'proportion', control, treatment, alpha, nStar })
  return { pValue: fixed.pValue, ci: fixed.absolute.ci, sequentialPValue: seq.pValue, sequentialCi: seq.ci }
}
