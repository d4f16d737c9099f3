import type { BinomialPosteriorInput } from './chance-to-beat-control-binomial'
import { betaPositivePart } from './internal/beta-positive-part'
import { differenceOfRatios } from './internal/difference-of-ratios'
import { betaPosteriors } from './internal/beta-posteriors'
import { jsonSafe } from './internal/json-safe'

export interface ExpectedLossResult {
  /** null when computed; otherwise why the losses are null. */
  reason: string | null
  /** E[max(control − treatment, 0)]: what shipping the treatment costs if it is worse. */
  expectedLossTreatment: number | null
  /** E[max(treatment − control, 0)]: what keeping the control costs if it is worse. */
  expectedLossControl: number | null
}

/**
 * Exact expected loss for Beta posteriors (Chris Stucchio, "Bayesian A/B testing at VWO", 2015, eq. 4):
 * E[max(pc − pt, 0)] = αc/(αc+βc)·h(αc+1, βc, αt, βt) − αt/(αt+βt)·h(αc, βc, αt+1, βt), with
 * h(a, b, c, d) = P(Beta(a, b) > Beta(c, d)) by Evan Miller's sum. Both h's are tiny when the loss is,
 * so the two terms are merged into one sum before evaluating (betaPositivePart) — the loss of the arm
 * with the lower posterior mean; the other loss is that plus the gap in posterior means, since
 * E[(X−Y)⁺] − E[(Y−X)⁺] = E[X] − E[Y]. Same prior rules as chanceToBeatControlBinomial.
 * @example expectedLossBinomial({ control: { n: 1000, x: 150 }, treatment: { n: 1000, x: 180 } })
 * // { reason: null, expectedLossTreatment: 0.000233…, expectedLossControl: 0.030174… }
 */
export function expectedLossBinomial(input: BinomialPosteriorInput): ExpectedLossResult {
  return jsonSafe(compute(input))
}

function compute(input: BinomialPosteriorInput): ExpectedLossResult {
  const posteriors = betaPosteriors(input)
  const fail = (reason: string): ExpectedLossResult => ({ reason, expectedLossTreatment: null, expectedLossControl: null })
  if (typeof posteriors === 'string') return fail(posteriors)
  const [ac, bc, at, bt] = posteriors
  // The loss of picking the arm with the lower posterior mean is the small one: sum it directly
  // (betaPositivePart); the other is that plus the difference of the means (no cancellation).
  const treatmentWorse = at / (at + bt) < ac / (ac + bc)
  const small = treatmentWorse ? betaPositivePart(ac, bc, at, bt) : betaPositivePart(at, bt, ac, bc)
  if (small === null) return fail('no integer parameter for the exact formula')
  const gap = treatmentWorse ? differenceOfRatios(ac, ac + bc, at, at + bt) : differenceOfRatios(at, at + bt, ac, ac + bc)
  const lossT = treatmentWorse ? small + gap : small
  const lossC = treatmentWorse ? small : small + gap
  return { reason: null, expectedLossTreatment: Math.max(0, lossT), expectedLossControl: Math.max(0, lossC) }
}
