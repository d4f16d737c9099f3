import * as z from 'zod/mini'
import { NumberPairSchema } from '../../core/number-pair'

// Seed 000's answers, as its FastAPI models serialise them (docs/compatibility.md, "Seed 000").

/** Seed 000's `Experiment.to_dict()`. */
export const Seed000ExperimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  variants: z.array(z.object({ name: z.string(), model_id: z.string(), weight: z.number() })),
  status: z.enum(['draft', 'running', 'paused', 'completed', 'stopped']),
  created_at: z.string(),
  started_at: z.nullable(z.string()),
  traffic_percentage: z.number(),
  min_sample_size: z.number(),
  confidence_level: z.number(),
})
export type Seed000Experiment = z.infer<typeof Seed000ExperimentSchema>

/** Seed 000's `ExperimentResultsResponse`. */
export const Seed000ResultsSchema = z.object({
  experiment_id: z.string(),
  control_samples: z.number(),
  treatment_samples: z.number(),
  control_conversion_rate: z.number(),
  treatment_conversion_rate: z.number(),
  relative_lift: z.number(),
  p_value: z.number(),
  is_significant: z.boolean(),
  confidence_interval: NumberPairSchema,
})
export type Seed000Results = z.infer<typeof Seed000ResultsSchema>

/** Seed 000's `/route` answer: all null when no running experiment takes the user. */
export const Seed000RoutedSchema = z.object({ experiment_id: z.nullable(z.string()), variant_name: z.nullable(z.string()), model_id: z.nullable(z.string()) })

/** Seed 000's `{"status": …}` acknowledgements. */
export const Seed000StatusSchema = (status: string) => z.object({ status: z.literal(status) })
