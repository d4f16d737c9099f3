import { DomainError } from '../../core/errors'
import type { Experiment } from '../../core/experiment'
import { twoProportionTest } from '../../stats'
import { parseCounters, type RawCounters } from '../../core/counters'

/**
 * Seed 000's `ExperimentResultsResponse` from the current epoch's counters, with its analyzer's
 * formulas (pooled z-test, unpooled CI, lift (t − c)/c) and its conventions for degenerate input:
 * z = 0 (so p = 1) when the pooled SE is 0, and a lift of 0 when the control rate is 0.
 */
export function seed000Results(e: Experiment, raw: RawCounters): Record<string, unknown> {
  const epoch = parseCounters(raw).epochs[e.epoch]
  const group = (variant: string) => {
    const v = epoch?.variants[variant]
    return { n: v?.exposures ?? 0, x: v?.metrics.conversion?.converters ?? 0 }
  }
  const control = group('control')
  const treatment = group('treatment')
  if (control.n === 0 || treatment.n === 0) throw new DomainError('invalid', 'insufficient_data', 'Insufficient data for analysis')
  const test = twoProportionTest({ control, treatment, alpha: e.alpha })
  const cr = control.x / control.n
  const tr = treatment.x / treatment.n
  const pValue = test.pValue ?? 1
  return {
    experiment_id: e.key,
    control_samples: control.n,
    treatment_samples: treatment.n,
    control_conversion_rate: cr,
    treatment_conversion_rate: tr,
    relative_lift: cr > 0 ? (tr - cr) / cr : 0,
    p_value: pValue,
    is_significant: pValue < e.alpha,
    confidence_interval: test.absolute.ci ?? [tr - cr, tr - cr],
  }
}
