import * as z from 'zod/mini'
import { AssignmentSchema } from '../core/assignment-schema'

const unit = z
  .string()
  .check(
    z.maxLength(256, 'must be at most 256 characters'),
    z.refine((u) => u.trim() !== '', 'must not be empty: send the id of the user or device to assign'),
  )
const max = (n: number) => z.maxLength(n, `must be at most ${n} characters`)
const attribute = z.union([z.string().check(max(1024)), z.number(), z.boolean()])
/** Attributes are matched against every targeting rule, so their number and sizes are bounded. */
const MAX_ATTRIBUTES = 50
const attributes = z.record(z.string(), attribute).check(
  z.refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`),
  z.refine((a) => Object.keys(a).every((name) => name.length <= 64), 'attribute names must be at most 64 characters'),
)

/**
 * Body of `POST /v1/assign` (the GET form carries the same fields as query parameters). `confirm`
 * writes the exposures before answering and lists the ones the store acknowledged in `logged`, so a
 * caller may assign with `track: false` afterwards (docs/scale.md); not with `track: false` itself.
 */
export const AssignRequestSchema = z.strictObject({
  unit,
  experiments: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(100, 'at most 100 experiments per call'))),
  attributes: z.optional(attributes),
  country: z.optional(z.string().check(z.regex(/^[A-Za-z]{2}$/, 'country is a two-letter ISO 3166-1 code, e.g. "US"'))),
  userAgent: z.optional(z.string().check(max(1024))),
  path: z.optional(z.string().check(max(2048))),
  host: z.optional(z.string().check(max(253))),
  force: z.optional(z.record(z.string(), z.string())),
  track: z.optional(z.boolean()),
  confirm: z.optional(z.boolean()),
})
export type AssignRequest = z.infer<typeof AssignRequestSchema>

/**
 * Answer of `/v1/assign`: one assignment per experiment, keyed by experiment; with `confirm`, the
 * experiments whose exposure of this unit the store holds in the current epoch (`logged`).
 */
export const AssignResponseSchema = z.object({
  unit: z.string(),
  assignments: z.record(z.string(), AssignmentSchema),
  logged: z.optional(z.array(z.string())),
})
export type AssignResponse = z.infer<typeof AssignResponseSchema>
