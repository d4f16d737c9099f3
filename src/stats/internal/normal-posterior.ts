import type { MeanGroup } from '../types'
import { differenceOfRatios } from './difference-of-ratios'
import { groupReason } from './group-reason'
import { sampleVariance } from '../sample-variance'

/**
 * The flat-prior normal approximation to the posterior of Δ = μt − μc used by the mean-metric Bayesian
 * results: Δ ~ N(ȳt − ȳc, s²c/nc + s²t/nt) (as GrowthBook's Bayesian engine with an improper prior).
 * Returns the mean and SD, or a reason when they cannot be formed (SD 0 is reported as a reason too).
 * @example normalPosterior({ n: 3, sum: 6, sumSq: 14 }, { n: 3, sum: 9, sumSq: 29 }) // { mean: 1, sd: 0.8165…, reason: null }
 */
export function normalPosterior(
  control: MeanGroup,
  treatment: MeanGroup,
): { reason: string; mean: null; sd: null } | { reason: null; mean: number; sd: number } {
  const invalid = groupReason('control', control, 'mean') ?? groupReason('treatment', treatment, 'mean')
  if (invalid !== null) return { reason: invalid, mean: null, sd: null }
  if (control.n < 2 || treatment.n < 2) return { reason: 'n < 2 in a group', mean: null, sd: null }
  const sd = Math.sqrt(sampleVariance(control) / control.n + sampleVariance(treatment) / treatment.n)
  if (sd === 0) return { reason: 'zero variance in both groups', mean: null, sd: null }
  return { reason: null, mean: differenceOfRatios(treatment.sum, treatment.n, control.sum, control.n), sd }
}
