/**
 * edgesplit statistics: pure functions, no I/O, one exported function per file.
 *
 * Degenerate-input policy (the same for every function that returns an object):
 * - Never throws for numeric input, however degenerate, and never puts NaN or ±Infinity in a result:
 *   a field that cannot be computed is `null`, and the result's `reason` says why ('n < 2 in a group',
 *   'zero variance in both groups', 'no conversions in either group', 'all units converted in both
 *   groups', 'control mean is zero: relative lift undefined', 'alpha must be in (0, 1)', …; several
 *   reasons are joined with '; '). `reason` is null exactly when every field was computed, so every
 *   result survives JSON.stringify → JSON.parse unchanged.
 * - Fields that are still well defined stay filled in (e.g. the absolute difference when the relative
 *   lift is undefined).
 * - Inputs are validated first (counts are non-negative safe integers with x ≤ n, sums finite, alpha and
 *   power in (0, 1), …); as a last resort every object result passes through jsonSafe, which turns any
 *   non-finite number that extreme magnitudes (say Σy² = 1e300) might still produce into null plus a
 *   'numeric overflow in: …' reason.
 * The scalar special functions (normalCdf, normalQuantile, studentTSf, chiSquareSf, …) follow the
 * IEEE/stdlib convention instead: NaN for arguments outside their domain, ±Infinity where that is the
 * exact answer (normalQuantile(0) = −∞). Callers at the HTTP edge use the object-returning functions.
 *
 * Accuracy is checked against committed fixtures made by tools/fixtures/stats_fixtures.py
 * (mpmath at 50 digits); see test/unit/stats.
 */
export type {
  BetaPrior,
  BinomialGroup,
  Effect,
  Interval,
  MeanGroup,
  RatioGroup,
  Tails,
} from './types'
export type { TwoProportionTestInput, TwoProportionTestResult } from './two-proportion-test'
export type { WelchTTestInput, WelchTTestResult } from './welch-t-test'
export type { RatioTestInput, RatioTestResult } from './ratio-test'
export type { RequiredSampleSizeInput, SampleSizeResult } from './required-sample-size'
export type { RequiredSampleSizeMeanInput } from './required-sample-size-mean'
export type { ProportionPowerInput, PowerResult } from './proportion-power'
export type { MeanPowerInput } from './mean-power'
export type { SampleRatioMismatchResult } from './sample-ratio-mismatch'
export type { ChiSquareIndependenceResult } from './chi-square-independence'
export type { SimpsonCheckResult, SimpsonSegment } from './simpson-check'
export type { AdjustedPValues } from './holm'
export type { SequentialTestInput, SequentialTestResult } from './sequential-test'
export type { ProportionSeriesPoint } from './proportion-series-point'
export type { BinomialPosteriorInput, ChanceToBeatControlResult } from './chance-to-beat-control-binomial'
export type { ExpectedLossResult } from './expected-loss-binomial'

// special functions
export { normalCdf } from './normal-cdf'
export { normalSf } from './normal-sf'
export { normalPdf } from './normal-pdf'
export { normalQuantile } from './normal-quantile'
export { studentTSf } from './student-t-sf'
export { studentTPdf } from './student-t-pdf'
export { studentTQuantile } from './student-t-quantile'
export { chiSquareSf } from './chi-square-sf'
export { regularizedIncompleteBeta } from './regularized-incomplete-beta'
export { regularizedIncompleteGamma } from './regularized-incomplete-gamma'
export { logGamma } from './log-gamma'
export { sampleVariance } from './sample-variance'

// tests and designs
export { twoProportionTest } from './two-proportion-test'
export { welchTTest } from './welch-t-test'
export { ratioTest } from './ratio-test'
export { ratioVariance } from './ratio-variance'
export { requiredSampleSize } from './required-sample-size'
export { requiredSampleSizeMean } from './required-sample-size-mean'
export { proportionPower } from './proportion-power'
export { meanPower } from './mean-power'
export { sampleRatioMismatch } from './sample-ratio-mismatch'
export { chiSquareIndependence } from './chi-square-independence'
export { simpsonCheck } from './simpson-check'
export { holm } from './holm'
export { benjaminiHochberg } from './benjamini-hochberg'
export { sequentialTest } from './sequential-test'
export { proportionSeriesPoint } from './proportion-series-point'
export { chanceToBeatControlBinomial } from './chance-to-beat-control-binomial'
export { expectedLossBinomial } from './expected-loss-binomial'
export { chanceToBeatControlMean } from './chance-to-beat-control-mean'
export { expectedLossMean } from './expected-loss-mean'
