import * as z from 'zod/mini'
import { MAX_EVENT_VALUE } from '../../core/event-schema'

/** Seed 000's `CreateExperimentRequest`, field for field. */
export const Seed000CreateSchema = z.object({
  name: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200)),
  description: z.string().check(z.maxLength(2000)),
  control_model_id: z.string().check(z.minLength(1, 'must not be empty')),
  treatment_model_id: z.string().check(z.minLength(1, 'must not be empty')),
  traffic_percentage: z._default(z.number().check(z.gt(0, 'must be in (0, 100]'), z.lte(100, 'must be in (0, 100]')), 100),
  control_weight: z._default(z.number().check(z.gt(0, 'must be in (0, 1)'), z.lt(1, 'must be in (0, 1)')), 0.5),
})

/** Seed 000's `RouteRequest`. */
export const Seed000RouteSchema = z.object({
  user_id: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(256)),
  experiment_id: z.optional(z.nullable(z.string())),
})

/**
 * Seed 000's `LogEventRequest`, plus an optional `event_id`: a client that retries a conversion
 * names it so the retry is not counted twice (without one, every conversion is its own event).
 */
export const Seed000LogSchema = z.object({
  experiment_id: z.string().check(z.minLength(1), z.maxLength(256)),
  user_id: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(256)),
  variant_name: z.string().check(z.minLength(1), z.maxLength(256)),
  converted: z.boolean(),
  value: z.optional(z.nullable(z.number().check(z.gte(-MAX_EVENT_VALUE, 'must be within ±1e12'), z.lte(MAX_EVENT_VALUE, 'must be within ±1e12')))),
  event_id: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(256))),
})
