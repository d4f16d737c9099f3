import { DomainError } from '../../core/errors'
import type { Experiment } from '../../core/experiment'
import type { ConversionGroups, ConversionTest } from '../../flows/results'
import type { Seed000Results } from './response-schemas'

/** Seed 000's two groups and the metric its `/log` counts conversions on (src/compat/seed000/mapping.ts). */
export const SEED000_GROUPS: ConversionGroups = { control: 'control', treatment: 'treatment', metric: 'conversion' }

/**
 * Seed 000's `ExperimentResultsResponse` from the conversion test of the current epoch (the
 * legacy analyzer's formulas and conventions: docs/compatibility.md, "Seed 000"), or its
 * `400 Insufficient data for analysis` while either group has no samples.
 */
export function seed000Results(e: Experiment, test: ConversionTest | null): Seed000Results {
  if (!test) throw new DomainError('invalid', 'insufficient_data', 'Insufficient data for analysis')
  return {
    experiment_id: e.key,
    control_samples: test.control.n,
    treatment_samples: test.treatment.n,
    control_conversion_rate: test.controlRate,
    treatment_conversion_rate: test.treatmentRate,
    relative_lift: test.relativeLift,
    p_value: test.pValue,
    is_significant: test.significant,
    confidence_interval: test.ci,
  }
}
