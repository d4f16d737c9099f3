import * as z from 'zod/mini'
import { NumberPairSchema } from '../core/number-pair'

// The shape of `segments` in `GET /v1/experiments/:key/results` (src/results/segments.ts computes it).

// A CI as in results-schema.ts: NumberPairSchema, not z.tuple, which would be the bundle's only tuple.
const interval = z.nullable(NumberPairSchema)
const maybe = z.nullable(z.number())

/** One treatment against the control on the primary metric within one segment value. */
export const SegmentLiftSchema = z.object({
  variant: z.string(),
  /** Units of control and treatment in the segment. */
  n: z.number(),
  /** The metric's value for control and for the treatment in the segment. */
  controlValue: maybe,
  value: maybe,
  absolute: z.object({ estimate: maybe, ci: interval }),
  relative: z.object({ estimate: maybe, ci: interval }),
  pValue: maybe,
  /** After the experiment's correction (Holm or Benjamini–Hochberg) across every segment comparison. */
  adjustedPValue: maybe,
  reason: z.nullable(z.string()),
})

/** One value of a dimension: units and share of each variant's units, and the lifts. */
export const SegmentValueSchema = z.object({
  value: z.string(),
  units: z.record(z.string(), z.number()),
  /** Share of each variant's units in this value (null while a variant has none). */
  share: z.record(z.string(), maybe),
  lifts: z.array(SegmentLiftSchema),
})

/** One dimension: its balance table and χ² test, Simpson check, and per-value lifts. */
export const SegmentDimensionSchema = z.object({
  dimension: z.string(),
  /** Pearson's χ² test of variant × value independence; `flagged` at p < 0.001 (broken randomisation). */
  balance: z.object({ chiSquare: maybe, df: maybe, pValue: maybe, flagged: z.boolean(), reason: z.nullable(z.string()) }),
  /** Per treatment: whether the overall lift has the opposite sign of the lift in every value with enough units. */
  simpson: z.array(z.object({ variant: z.string(), paradox: z.boolean(), judged: z.array(z.string()), text: z.nullable(z.string()) })),
  values: z.array(SegmentValueSchema),
})

/** Results by segment (country, device, declared attributes): exploratory, not a basis for decisions alone. */
export const SegmentsResultSchema = z.object({
  /** The metric the lifts are of: the primary metric (null when there is none). */
  metric: z.nullable(z.string()),
  exploratory: z.literal(true),
  /** What the CIs and p-values mean. */
  note: z.string(),
  dimensions: z.array(SegmentDimensionSchema),
})
export type SegmentsResult = z.infer<typeof SegmentsResultSchema>
