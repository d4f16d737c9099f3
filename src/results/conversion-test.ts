import type { Experiment } from '../core/experiment'
import type { ParsedCounters } from '../core/counters'
import { twoProportionTest } from '../stats'

/** Which variants and which binomial metric a two-group conversion test compares. */
export type ConversionGroups = { control: string; treatment: string; metric: string }

/** One group's units (`n`) and converters (`x`) in the current epoch. */
export type ConversionGroup = { n: number; x: number }

/** The two-group conversion test of an experiment's current epoch. */
export type ConversionTest = {
  control: ConversionGroup
  treatment: ConversionGroup
  controlRate: number
  treatmentRate: number
  relativeLift: number
  pValue: number
  significant: boolean
  /** The difference of rates (treatment − control) with its unpooled Wald interval at 1 − alpha. */
  ci: [number, number]
}

/**
 * Control against treatment on one binomial metric, with the legacy router's conventions for
 * degenerate input (docs/compatibility.md, "Seed 000"): the pooled z-test (z = 0, so p = 1, when
 * the pooled SE is 0), the unpooled CI, and a lift (t − c)/c of 0 when the control rate is 0.
 * Null while either group has no units. Pure: the caller reads the counters.
 */
export function conversionTest(e: Experiment, counters: ParsedCounters, groups: ConversionGroups): ConversionTest | null {
  const epoch = counters.epochs[e.epoch]
  const group = (variant: string): ConversionGroup => {
    const v = epoch?.variants[variant]
    return { n: v?.exposures ?? 0, x: v?.metrics[groups.metric]?.converters ?? 0 }
  }
  const control = group(groups.control)
  const treatment = group(groups.treatment)
  if (control.n === 0 || treatment.n === 0) return null
  const test = twoProportionTest({ control, treatment, alpha: e.alpha })
  const controlRate = control.x / control.n
  const treatmentRate = treatment.x / treatment.n
  const pValue = test.pValue ?? 1
  return {
    control,
    treatment,
    controlRate,
    treatmentRate,
    relativeLift: controlRate > 0 ? (treatmentRate - controlRate) / controlRate : 0,
    pValue,
    significant: pValue < e.alpha,
    ci: test.absolute.ci ?? [treatmentRate - controlRate, treatmentRate - controlRate],
  }
}
