import * as z from 'zod/mini'
import { AllocationSchema, BANDIT_TYPES, BanditStateSchema, CORRECTIONS, METRIC_ROLES, METRIC_TYPES } from '../core/experiment'
import { SegmentsResultSchema } from './segments-schema'
import { NumberPairSchema } from '../core/number-pair'

// The shapes of `GET /v1/experiments/:key/results`: the OpenAPI document describes the answer from
// these schemas, and the results code is typed by them (src/results/types.ts re-exports the types).

const interval = z.nullable(NumberPairSchema)
const maybe = z.nullable(z.number())

/** A treatment against the control on one metric. Fields that cannot be computed are null. */
export const ComparisonSchema = z.object({
  absolute: z.object({ estimate: maybe, ci: interval }),
  relative: z.object({ estimate: maybe, ci: interval }),
  pValue: maybe,
  /** After Holm or Benjamini–Hochberg across variants × metrics. */
  adjustedPValue: maybe,
  sequential: z.object({ pValue: maybe, ci: interval }),
  chanceToBeatControl: maybe,
  expectedLoss: maybe,
  /** Power at the configured minimum detectable effect with the current sample sizes. */
  power: maybe,
  /** Units per variant needed for the configured power at the minimum detectable effect. */
  requiredN: maybe,
  /** Significant by the always-valid test, or by the adjusted fixed-horizon test once requiredN is reached. */
  significant: z.boolean(),
  /** Why some fields are null (joined reasons from the statistics), or null. */
  reason: z.nullable(z.string()),
})
export type Comparison = z.infer<typeof ComparisonSchema>

/**
 * One variant's row in a metric's table; `value` is the conversion rate, mean or ratio, null when
 * n = 0 (or, for a ratio, when the denominator is 0). Ratio metrics add their Σx and Σy.
 */
export const VariantResultSchema = z.object({
  variant: z.string(),
  n: z.number(),
  converters: z.number(),
  value: maybe,
  comparison: z.nullable(ComparisonSchema),
  numerator: z.optional(z.number()),
  denominator: z.optional(z.number()),
})
export type VariantResult = z.infer<typeof VariantResultSchema>

/** The verdict on a metric, in a word and in words. */
export const VerdictSchema = z.object({
  status: z.enum(['no_data', 'srm', 'keep_running', 'significant', 'no_difference']),
  text: z.string(),
})
export type Verdict = z.infer<typeof VerdictSchema>

/** One metric's table. */
export const MetricResultSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.enum(METRIC_TYPES),
  role: z.enum(METRIC_ROLES),
  /** The event counted; for a ratio metric "<numerator event> / <denominator event>". */
  event: z.string(),
  /** Ratio metrics: each side's event and whether its values are summed or its events counted. */
  numerator: z.optional(z.object({ event: z.string(), aggregate: z.enum(['sum', 'count']) })),
  denominator: z.optional(z.object({ event: z.string(), aggregate: z.enum(['sum', 'count']) })),
  /** Windowed metrics: the window (seconds after first exposure); only units whose window has elapsed are analysed. */
  window: z.optional(z.object({ start: z.number(), end: z.number() })),
  /** Windowed metrics: exposed units left out because their window has not fully elapsed yet. */
  maturing: z.optional(z.number()),
  variants: z.array(VariantResultSchema),
  verdict: VerdictSchema,
})
export type MetricResult = z.infer<typeof MetricResultSchema>

/** One day of a metric's cumulative series. */
export const SeriesPointSchema = z.object({
  day: z.string(),
  variants: z.record(z.string(), z.object({ n: z.number(), value: maybe })),
  comparisons: z.record(z.string(), z.object({ pValue: maybe, ci: interval, sequentialPValue: maybe, sequentialCi: interval })),
})
export type SeriesPoint = z.infer<typeof SeriesPointSchema>

/** The SRM check against the weights each unit was assigned under. */
export const SrmResultSchema = z.object({
  observed: z.record(z.string(), z.number()),
  expected: z.nullable(z.record(z.string(), z.number())),
  chiSquare: maybe,
  pValue: maybe,
  mismatch: z.boolean(),
  reason: z.nullable(z.string()),
})
export type SrmResult = z.infer<typeof SrmResultSchema>

/** A bandit allocation with its defaults resolved, its last check and when it may next reweight. */
const BanditAllocationSchema = z.object({
  type: z.enum(BANDIT_TYPES),
  epsilon: z.number(),
  burnIn: z.number(),
  floor: z.number(),
  periodSeconds: z.number(),
  metric: z.string(),
  lastCheck: z.nullable(BanditStateSchema),
  nextCheckAt: z.nullable(z.string()),
})

/** What `GET /v1/experiments/:key/results` returns. */
export const ExperimentResultsSchema = z.object({
  experiment: z.string(),
  title: z.string(),
  state: z.string(),
  epoch: z.number(),
  control: z.string(),
  correction: z.enum(CORRECTIONS),
  alpha: z.number(),
  srm: SrmResultSchema,
  verdict: VerdictSchema,
  metrics: z.array(MetricResultSchema),
  /**
   * Cumulative daily series by metric key: the primary metric's only by default; `?series=<metric>`
   * gives that metric's, `all` every metric's, `none` none (an unknown key gives none).
   */
  series: z.record(z.string(), z.array(SeriesPointSchema)),
  /** How weights are chosen: fixed, or a bandit. */
  allocation: z.union([z.object({ type: z.literal('fixed') }), BanditAllocationSchema]),
  /** The allocation history, oldest first: every set of weights units were assigned under, from when. */
  allocations: z.array(AllocationSchema),
  /** Balance tables, Simpson checks and exploratory lifts by segment (src/results/segments.ts). */
  segments: z.optional(SegmentsResultSchema),
})
export type ExperimentResults = z.infer<typeof ExperimentResultsSchema>
