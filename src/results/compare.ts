import type { Metric } from '../core/experiment'
import {
  chanceToBeatControlBinomial,
  chanceToBeatControlMean,
  expectedLossBinomial,
  expectedLossMean,
  meanPower,
  proportionPower,
  type RatioGroup,
  ratioTest,
  requiredSampleSize,
  requiredSampleSizeMean,
  sequentialTest,
  twoProportionTest,
  welchTTest,
} from '../stats'
import type { AnalysisSettings, Comparison, VariantStats } from './types'

/** The metric's value for one variant: conversion rate, mean per-unit total, or Σx/Σy (null when n = 0 or Σy = 0). */
export function metricValue(type: Metric['type'], s: VariantStats): number | null {
  if (s.n === 0) return null
  if (type === 'ratio') return s.sumY ? s.sum / s.sumY : null
  return type === 'binomial' ? s.converters / s.n : s.sum / s.n
}

/** A variant's ratio-metric sums as the statistics take them. */
export function ratioGroup(s: VariantStats): RatioGroup {
  return { n: s.n, sumX: s.sum, sumY: s.sumY ?? 0, sumXSq: s.sumSq, sumYSq: s.sumSqY ?? 0, sumXY: s.sumXY ?? 0 }
}

/**
 * Compares a treatment with the control on one metric: the fixed-horizon test (two-proportion z or
 * Welch t), the always-valid sequential test, Bayesian chance to win and expected loss, and power
 * and required sample size at the experiment's minimum detectable effect (relative to control).
 * The adjusted p-value and significance are filled in once all comparisons are known.
 */
export function compare(type: Metric['type'], control: VariantStats, treatment: VariantStats, s: AnalysisSettings): Comparison {
  const reasons = new Set<string>()
  const note = (reason: string | null) => reason && reasons.add(reason)
  let absolute: Comparison['absolute']
  let relative: Comparison['relative']
  let pValue: number | null
  let chance: number | null
  let loss: number | null
  let power: number | null = null
  let requiredN: number | null = null
  let seq: ReturnType<typeof sequentialTest>
  if (type === 'ratio') return compareRatio(control, treatment, s)
  if (type === 'binomial') {
    const c = { n: control.n, x: control.converters }
    const t = { n: treatment.n, x: treatment.converters }
    const test = twoProportionTest({ control: c, treatment: t, alpha: s.alpha })
    seq = sequentialTest({ kind: 'proportion', control: c, treatment: t, alpha: s.alpha, nStar: s.nStar })
    note(test.reason)
    absolute = { estimate: test.absolute.estimate, ci: test.absolute.ci }
    relative = { estimate: test.relative.estimate, ci: test.relative.ci }
    pValue = test.pValue
    chance = chanceToBeatControlBinomial({ control: c, treatment: t }).chanceToBeatControl
    loss = expectedLossBinomial({ control: c, treatment: t }).expectedLossTreatment
    const base = control.n > 0 ? control.converters / control.n : null
    if (base !== null && base > 0 && base * (1 + s.minDetectableEffect) < 1) {
      const expected = base * (1 + s.minDetectableEffect)
      power = proportionPower({ p1: base, p2: expected, n1: control.n, n2: treatment.n, alpha: s.alpha }).power
      requiredN = requiredSampleSize({ baseline: base, expected, alpha: s.alpha, power: s.power }).sampleSize
    } else if (control.n > 0) note('no control conversions yet: power and required sample size need a baseline rate')
  } else {
    const c = { n: control.n, sum: control.sum, sumSq: control.sumSq }
    const t = { n: treatment.n, sum: treatment.sum, sumSq: treatment.sumSq }
    const test = welchTTest({ control: c, treatment: t, alpha: s.alpha })
    seq = sequentialTest({ kind: 'mean', control: c, treatment: t, alpha: s.alpha, nStar: s.nStar })
    note(test.reason)
    absolute = { estimate: test.absolute.estimate, ci: test.absolute.ci }
    relative = { estimate: test.relative.estimate, ci: test.relative.ci }
    pValue = test.pValue
    chance = chanceToBeatControlMean({ control: c, treatment: t }).chanceToBeatControl
    loss = expectedLossMean({ control: c, treatment: t }).expectedLossTreatment
    const sd = test.controlVariance !== null ? Math.sqrt(test.controlVariance) : null
    const delta = test.controlMean !== null ? Math.abs(test.controlMean) * s.minDetectableEffect : 0
    if (sd !== null && sd > 0 && delta > 0) {
      power = meanPower({ sd, delta, n1: control.n, n2: treatment.n, alpha: s.alpha }).power
      requiredN = requiredSampleSizeMean({ sd, delta, alpha: s.alpha, power: s.power }).sampleSize
    }
  }
  return {
    absolute,
    relative,
    pValue,
    adjustedPValue: null,
    sequential: { pValue: seq.pValue, ci: seq.ci },
    chanceToBeatControl: chance,
    expectedLoss: loss,
    power,
    requiredN,
    significant: false,
    reason: reasons.size ? [...reasons].join('; ') : null,
  }
}

/**
 * A ratio metric (src/stats/ratio-test.ts, the delta method): the same outputs as a mean metric,
 * power and required n from the control's per-unit variance of the linearised ratio at an effect of
 * minDetectableEffect × the control ratio (Deng, Knoblich & Lu 2018, §3.1).
 */
function compareRatio(control: VariantStats, treatment: VariantStats, s: AnalysisSettings): Comparison {
  const c = ratioGroup(control)
  const t = ratioGroup(treatment)
  const test = ratioTest({ control: c, treatment: t, alpha: s.alpha })
  const seq = sequentialTest({ kind: 'ratio', control: c, treatment: t, alpha: s.alpha, nStar: s.nStar })
  let power: number | null = null
  let requiredN: number | null = null
  const sd = test.controlVariance !== null ? Math.sqrt(test.controlVariance) : null
  const delta = test.controlRatio !== null ? Math.abs(test.controlRatio) * s.minDetectableEffect : 0
  if (sd !== null && sd > 0 && delta > 0) {
    power = meanPower({ sd, delta, n1: control.n, n2: treatment.n, alpha: s.alpha }).power
    requiredN = requiredSampleSizeMean({ sd, delta, alpha: s.alpha, power: s.power }).sampleSize
  }
  return {
    absolute: { estimate: test.absolute.estimate, ci: test.absolute.ci },
    relative: { estimate: test.relative.estimate, ci: test.relative.ci },
    pValue: test.pValue,
    adjustedPValue: null,
    sequential: { pValue: seq.pValue, ci: seq.ci },
    chanceToBeatControl: test.chanceToBeatControl,
    expectedLoss: test.expectedLoss,
    power,
    requiredN,
    significant: false,
    reason: test.reason,
  }
}
