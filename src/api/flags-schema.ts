import * as z from 'zod/mini'
import { FlagChangeSchema, FlagSchema } from '../core/flag'
import { AssignRequestSchema } from './assign-schema'

// Everything /v1/assign takes but the experiment selection: flags are named in `flags`.
const { experiments: _experiments, ...assignShape } = AssignRequestSchema.shape

/** Body of `POST /v1/flags`: the unit and its request facts as for `/v1/assign`, and the flags to evaluate (default: all). */
export const FlagsRequestSchema = z.strictObject({
  ...assignShape,
  flags: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(100, 'at most 100 flags per call'))),
})
export type FlagsRequest = z.infer<typeof FlagsRequestSchema>

/**
 * One flag's answer. `reason`: `flag_disabled`, `rule:<id>`, `rollout`, `experiment`, `targeting`,
 * `default`, or `error` (an experiment rule whose experiment is gone: the default is served).
 */
export const FlagResultSchema = z.object({
  type: z.enum(['boolean', 'string', 'number', 'json']),
  value: z.json(),
  reason: z.string(),
  rule: z.optional(z.string()),
  experiment: z.optional(z.string()),
  variant: z.optional(z.string()),
})

/** Answer of `/v1/flags`: one result per flag, keyed by flag. */
export const FlagsResponseSchema = z.object({ unit: z.string(), flags: z.record(z.string(), FlagResultSchema) })
export type FlagsResponse = z.infer<typeof FlagsResponseSchema>

/** Answer of `GET /v1/flags/_all`: every flag, by key. */
export const FlagListSchema = z.object({ flags: z.array(FlagSchema) })

/** Answer of `GET /v1/flags/:key/history`: the flag's changes, newest first. */
export const FlagHistorySchema = z.object({ key: z.string(), changes: z.array(FlagChangeSchema) })
