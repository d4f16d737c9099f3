import * as z from 'zod/mini'
import { shortText } from './short-text'

/**
 * Largest |value| an event may carry, so per-unit totals and their squares stay finite: a value of
 * 1e200 would overflow the sum of squares to Infinity and poison the metric's variance for good.
 */
export const MAX_EVENT_VALUE = 1e12

/** Whether a value may be counted (±0 included, NaN and infinities never). */
export function isEventValue(value: number): boolean {
  return Math.abs(value) <= MAX_EVENT_VALUE
}

/**
 * An RFC 3339 date-time with seconds and a `Z` or ±hh:mm offset: zod's `z.iso.datetime({ offset: true })`
 * pattern (zod/v4/core/regexes.js) written out, because importing zod's ISO module costs ~0.8 KiB
 * of the Worker's gzipped bundle. A real calendar date (leap days too), `T`, hh:mm:ss[.fraction].
 */
export const ISO_DATETIME = /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/

/** One tracked event. `id` makes ingestion idempotent; an event without one is never deduplicated. */
export const EventSchema = z.strictObject({
  id: z.optional(shortText(128)),
  unit: z.string().check(z.maxLength(256, 'must be at most 256 characters'), z.refine((u) => u.trim() !== '', 'must not be empty')),
  name: shortText(64),
  /** Amount for mean metrics, |value| ≤ 1e12; outside it the event is ignored (invalid_value), or refused with 400 when sent alone. */
  value: z.optional(z.number()),
  /**
   * When it happened (default: now); counted only when at most 7 days (less 5 minutes, or
   * EVENT_MAX_AGE_SECONDS) old and 5 minutes ahead, else ignored (stale_timestamp).
   */
  ts: z.optional(
    z.union([
      z.string().check(z.regex(ISO_DATETIME, 'ts must be an ISO 8601 date-time such as 2026-11-21T12:00:00Z')),
      z.number().check(z.gte(0, 'ts in milliseconds must be positive')),
    ]),
  ),
  experiments: z.optional(z.array(z.string()).check(z.maxLength(100))),
})
export type TrackedEvent = z.infer<typeof EventSchema>

/** Why an event was not counted anywhere. */
export const IGNORE_REASONS = ['no_experiment', 'not_exposed', 'earlier_epoch', 'stale_timestamp', 'invalid_value', 'invalid_timestamp'] as const

/** Reasons that mean the event itself is malformed: a lone event with one is refused with 400. */
export const INVALID_REASONS: readonly (typeof IGNORE_REASONS)[number][] = ['invalid_value', 'invalid_timestamp']

/** What ingesting a batch did: counted, already counted, and each event not counted with its reason. */
export const EventsResponseSchema = z.object({
  accepted: z.int(),
  duplicate: z.int(),
  ignored: z.array(z.object({ index: z.int(), id: z.string(), reason: z.enum(IGNORE_REASONS), message: z.string() })),
})
export type EventsResponse = z.infer<typeof EventsResponseSchema>
