import type { ExpectedLossResult } from './expected-loss-binomial'
import type { MeanGroup } from './types'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalPdf } from './normal-pdf'
import { normalPosterior } from './internal/normal-posterior'

/**
 * Expected loss for a mean metric under the normal approximation Δ ~ N(d, s²) (flat prior), z = d/s:
 * E[max(−Δ, 0)] = s·φ(z) − d·Φ(−z) (shipping the treatment) and E[max(Δ, 0)] = s·φ(z) + d·Φ(z)
 * (keeping the control) — the normal partial expectation (e.g. Stucchio 2015 for the Gaussian case).
 * @example expectedLossMean({ control: { n: 3, sum: 6, sumSq: 14 }, treatment: { n: 3, sum: 9, sumSq: 29 } })
 * // { reason: null, expectedLossTreatment: 0.04353…, expectedLossControl: 1.04353… }
 */
export function expectedLossMean(input: { control: MeanGroup; treatment: MeanGroup }): ExpectedLossResult {
  return jsonSafe(compute(input))
}

function compute(input: { control: MeanGroup; treatment: MeanGroup }): ExpectedLossResult {
  const post = normalPosterior(input?.control, input?.treatment)
  if (post.reason !== null) return { reason: post.reason, expectedLossTreatment: null, expectedLossControl: null }
  const { mean: d, sd: s } = post
  const z = d / s
  const density = s * normalPdf(z)
  return {
    reason: null,
    expectedLossTreatment: density - d * normalCdf(-z),
    expectedLossControl: density + d * normalCdf(z),
  }
}
