import type { ChanceToBeatControlResult } from './chance-to-beat-control-binomial'
import type { MeanGroup } from './types'
import { jsonSafe } from './internal/json-safe'
import { normalCdf } from './normal-cdf'
import { normalPosterior } from './internal/normal-posterior'

/**
 * Chance to beat control for a mean metric under the normal approximation Δ ~ N(d, s²),
 * d = ȳt − ȳc, s² = s²c/nc + s²t/nt (flat prior): P(Δ > 0) = Φ(d/s).
 * @example chanceToBeatControlMean({ control: { n: 3, sum: 6, sumSq: 14 }, treatment: { n: 3, sum: 9, sumSq: 29 } })
 * // { reason: null, chanceToBeatControl: 0.88966… }
 */
export function chanceToBeatControlMean(input: { control: MeanGroup; treatment: MeanGroup }): ChanceToBeatControlResult {
  return jsonSafe(compute(input))
}

function compute(input: { control: MeanGroup; treatment: MeanGroup }): ChanceToBeatControlResult {
  const post = normalPosterior(input?.control, input?.treatment)
  if (post.reason !== null) return { reason: post.reason, chanceToBeatControl: null }
  return { reason: null, chanceToBeatControl: normalCdf(post.mean / post.sd) }
}
