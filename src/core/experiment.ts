import * as z from 'zod/mini'
import { shortText } from './short-text'
import { DEVICE_CLASSES } from './device'
import { safeRegexProblem } from './safe-regex'

// Keys appear in URLs, cookies, Redis keys and the `key=variant; …` header, so they stay plain.
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const KEY_RULE = '1-64 characters: letters, digits, "_", "." or "-", starting with a letter or digit'
// Instance ids are made by the server (a UUID); they end up in Redis hash tags, so never "{" or "}".
const INSTANCE_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/
const key = () => z.string().check(z.regex(KEY_PATTERN, `must be ${KEY_RULE}`))
const fraction = (what: string) =>
  z.number().check(z.gte(0, `${what} must be between 0 and 1`), z.lte(1, `${what} must be between 0 and 1`))
const text = (max: number) => z.string().check(z.maxLength(max, `must be at most ${max} characters`))
/** A zod check from a function that reports each problem as (path, message): each becomes an issue at its path. */
export const reported = <T>(check: (value: T, fail: (path: PropertyKey[], message: string) => void) => void) =>
  z.superRefine<T>((value, ctx) => check(value, (path, message) => ctx.addIssue({ code: 'custom', message, path, input: value })))
/** What a metric measures (see MetricSchema), the parts it plays, and the multiple-comparison corrections. */
export const METRIC_TYPES = ['binomial', 'mean', 'ratio', 'retention'] as const
export const METRIC_ROLES = ['primary', 'secondary', 'guardrail'] as const
export const CORRECTIONS = ['holm', 'benjamini-hochberg'] as const
/** A significance level: the experiment's, or a sample-size question's (src/flows/sample-size.ts). */
export const AlphaSchema = z.number().check(z.gt(0, 'alpha must be in (0, 0.5]'), z.lte(0.5, 'alpha must be in (0, 0.5]'))
/** A statistical power, as AlphaSchema. */
export const PowerSchema = z.number().check(z.gt(0, 'power must be in (0, 1)'), z.lt(1, 'power must be in (0, 1)'))

/**
 * How many shards an experiment's counters are spread over (docs/scale.md). A new experiment gets
 * the body's `shards`, else the count its declared `traffic` needs (shardsForTraffic), else the
 * deployment's COUNTER_SHARDS, else DEFAULT_SHARDS; documents stored before sharding have none and
 * count in one shard, the layout they were written in. The default is small because every shard an
 * isolate's exposure flush touches is one more call: 4 shards take ~4,000 new units a second
 * (about 13,000 page views a second with 70% returning visitors) below a Durable Object's ~1,000
 * requests a second each.
 */
export const DEFAULT_SHARDS = 4
/** At most this many shards: a read fans out to all of them (Workers Free allows 50 subrequests). */
export const MAX_SHARDS = 48
/**
 * Peak page views a second one shard is sized for: with 70% returning visitors, 2,500 views bring
 * ~750 new units, each one exposure write on its shard (docs/scale.md, "Which knob").
 */
export const VIEWS_PER_SHARD = 2500

/** The shard count for an expected peak of `traffic` page views (or assign calls) a second. */
export function shardsForTraffic(traffic: number): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(traffic / VIEWS_PER_SHARD)))
}
const SHARDS_RULE = `shards must be 1 to ${MAX_SHARDS}`
const shardCount = () => z.int(SHARDS_RULE).check(z.gte(1, SHARDS_RULE), z.lte(MAX_SHARDS, SHARDS_RULE))

/** Lifecycle states (docs/design.md, "Lifecycle and epochs"). */
export const EXPERIMENT_STATES = ['draft', 'running', 'paused', 'rollout', 'stopped'] as const
export const ExperimentStateSchema = z.enum(EXPERIMENT_STATES)
export type ExperimentState = z.infer<typeof ExperimentStateSchema>

/**
 * One arm of an experiment; `payload` is handed back with the assignment (a model id, a colour…).
 * `url` makes it a split-URL variant: the site middleware serves that origin path instead (rewrite).
 */
export const VariantSchema = z.strictObject({
  key: key(),
  weight: z.number().check(z.positive('weight must be greater than 0')),
  name: z.optional(text(200)),
  payload: z.optional(z.json()),
  url: z.optional(z.string().check(z.regex(/^\/(?!\/)[^\s#]*$/, 'url must be a path on the origin starting with "/", e.g. "/landing-b"'), z.maxLength(2048))),
})
export type Variant = z.infer<typeof VariantSchema>

const eventName = () => shortText(64)

/**
 * One side of a ratio metric: an event name (its events counted), the key of a binomial or mean
 * metric of the experiment (its event: counted, or its values summed), or `{event, aggregate}`.
 */
export const RatioPartSchema = z.union([eventName(), z.strictObject({ event: eventName(), aggregate: z._default(z.enum(['sum', 'count']), 'sum') })])
export type RatioPart = z.infer<typeof RatioPartSchema>

/**
 * A conversion window in seconds after the unit's first exposure: an event counts only when
 * start ≤ ts − exposure < end, and only units whose window has fully elapsed are analysed.
 */
export const WindowSchema = z
  .strictObject({
    start: z.int().check(z.gte(0, 'window.start must be ≥ 0 seconds')),
    end: z.int().check(z.positive('window.end must be > 0 seconds'), z.lte(7 * 86400, 'window.end must be at most 7 days (604800 s): events older than that cannot be counted')),
  })
  .check(z.refine((w) => w.end > w.start, { message: 'window.end must be greater than window.start', path: ['end'] }))
export type ConversionWindow = z.infer<typeof WindowSchema>

/**
 * Retention is binomial over a window: did the unit send `event` in [start, end) after its first
 * exposure (e.g. days 1–7: {start: 86400, end: 604800}). Binomial: did the unit send `event`; mean: the per-unit total of `value` (optionally capped);
 * ratio: Σ numerator / Σ denominator over units, analysed per unit by the delta method
 * (src/stats/ratio-test.ts), e.g. revenue per order or clicks per pageview.
 */
export const MetricSchema = z.strictObject({
  key: key(),
  type: z.enum(METRIC_TYPES),
  event: z.optional(eventName()),
  window: z.optional(WindowSchema),
  numerator: z.optional(RatioPartSchema),
  denominator: z.optional(RatioPartSchema),
  role: z._default(z.enum(METRIC_ROLES), 'primary'),
  cap: z.optional(z.number().check(z.positive('cap must be greater than 0'))),
  name: z.optional(text(200)),
})
export type Metric = z.infer<typeof MetricSchema>

const CONDITION_OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'regex', 'exists'] as const
const scalar = z.union([z.string(), z.number(), z.boolean()])

/** A condition on a caller-supplied attribute. */
export const ConditionSchema = z
  .strictObject({
    attribute: shortText(64),
    op: z.enum(CONDITION_OPS),
    value: z.optional(z.union([scalar, z.array(scalar)])),
  })
  .check(
    z.superRefine((c, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'], input: c.value })
      if (c.op === 'exists') {
        if (c.value !== undefined && typeof c.value !== 'boolean') fail('"exists" takes true, false or nothing')
      } else if (c.op === 'in' || c.op === 'nin') {
        if (!Array.isArray(c.value)) fail(`"${c.op}" needs an array value`)
      } else if (c.op === 'gt' || c.op === 'gte' || c.op === 'lt' || c.op === 'lte') {
        if (typeof c.value !== 'number') fail(`"${c.op}" needs a number value`)
      } else if (c.op === 'regex') {
        if (typeof c.value !== 'string') fail('"regex" needs a string value')
        else {
          // Only the linear-time subset is accepted (src/core/safe-regex.ts): a rule must never stall assignment.
          const problem = safeRegexProblem(c.value)
          if (problem) fail(problem)
        }
      } else if (c.value === undefined || Array.isArray(c.value)) fail(`"${c.op}" needs a single value`)
    }),
  )
export type Condition = z.infer<typeof ConditionSchema>

/** Who may enter: every listed condition must hold (an empty or missing list allows everyone). */
export const TargetingSchema = z.strictObject({
  countries: z.optional(z.array(z.string().check(z.regex(/^[A-Z]{2}$/, 'country codes are two capital letters (ISO 3166-1), e.g. "US"')))),
  devices: z.optional(z.array(z.enum(DEVICE_CLASSES))),
  paths: z.optional(z.array(z.string().check(z.regex(/^\//, 'path patterns start with "/"'), z.maxLength(512)))),
  hosts: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(253)))),
  attributes: z.optional(z.array(ConditionSchema)),
})
export type Targeting = z.infer<typeof TargetingSchema>

/** A slice [start, end) of a mutual-exclusion layer's own hash (salt `layer:<id>`). */
export const LayerSchema = z
  .strictObject({ id: key(), start: fraction('layer start'), end: fraction('layer end') })
  .check(z.refine((l) => l.start < l.end, { message: 'layer start must be below layer end', path: ['end'] }))
export type Layer = z.infer<typeof LayerSchema>

/** Adaptive allocation algorithms (docs/design.md, "Bandits"). */
export const BANDIT_TYPES = ['thompson', 'ucb1', 'epsilon_greedy'] as const
export type BanditType = (typeof BANDIT_TYPES)[number]

/** Bandit defaults and bounds (docs/design.md, "Bandits": burn-in ≥ 100 units per arm, floor 1% per arm). */
export const BANDIT_DEFAULTS = { burnIn: 100, floor: 0.01, periodSeconds: 3600, epsilon: 0.1 } as const
const MIN_PERIOD_SECONDS = 60
const MAX_PERIOD_SECONDS = 30 * 24 * 3600

/**
 * How weights are chosen: `fixed` (the variants' weights, as edited) or a bandit that rewrites them
 * from the counts at most once per `periodSeconds`. Unset fields take BANDIT_DEFAULTS; `metric` is
 * the binomial metric the bandit maximises (default: the primary metric).
 */
export const AllocationPolicySchema = z
  .strictObject({
    type: z.enum(['fixed', ...BANDIT_TYPES], 'allocation.type must be one of fixed, thompson, ucb1, epsilon_greedy'),
    epsilon: z.optional(fraction('epsilon')),
    burnIn: z.optional(z.int('burnIn must be a whole number of units').check(z.gte(100, 'burnIn must be at least 100 units per arm'), z.lte(1e9, 'burnIn must be at most 1e9'))),
    floor: z.optional(z.number().check(z.gt(0, 'floor must be in (0, 0.5]'), z.lte(0.5, 'floor must be in (0, 0.5]'))),
    periodSeconds: z.optional(
      z.int('periodSeconds must be a whole number of seconds').check(
        z.gte(MIN_PERIOD_SECONDS, `periodSeconds must be at least ${MIN_PERIOD_SECONDS}`),
        z.lte(MAX_PERIOD_SECONDS, `periodSeconds must be at most ${MAX_PERIOD_SECONDS} (30 days)`),
      ),
    ),
    metric: z.optional(key()),
  })
  .check(
    z.superRefine((a, ctx) => {
      const fail = (field: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [field], input: a })
      if (a.type === 'fixed') {
        for (const field of ['epsilon', 'burnIn', 'floor', 'periodSeconds', 'metric'] as const) {
          if (a[field] !== undefined) fail(field, `${field} applies to bandit allocations only (type thompson, ucb1 or epsilon_greedy)`)
        }
      } else if (a.epsilon !== undefined && a.type !== 'epsilon_greedy') fail('epsilon', 'epsilon applies to type epsilon_greedy only')
    }),
  )
export type AllocationPolicy = z.infer<typeof AllocationPolicySchema>

/** The counts a bandit reweight was computed from, per variant (current epoch). */
export const BanditCountsSchema = z.record(z.string(), z.strictObject({ units: z.number(), conversions: z.number() }))

/** The weights each unit was assigned under, from `at` on; SRM is checked against these. */
export const AllocationSchema = z.strictObject({
  version: z.int().check(z.positive()),
  epoch: z.int().check(z.nonnegative()),
  weights: z.record(z.string(), z.number()),
  coverage: fraction('coverage'),
  at: z.string(),
  /** Set when a bandit chose these weights: the algorithm, the metric and the counts it saw. */
  bandit: z.optional(z.strictObject({ algorithm: z.enum(BANDIT_TYPES), metric: z.string(), counts: BanditCountsSchema })),
})
export type Allocation = z.infer<typeof AllocationSchema>

/** The bandit's bookkeeping: when it last looked at the counts, and what it concluded. */
export const BanditStateSchema = z.strictObject({
  checkedAt: z.string(),
  phase: z.enum(['burn-in', 'adaptive']),
  note: z.string(),
})
export type BanditState = z.infer<typeof BanditStateSchema>

const editableShape = {
  title: shortText(200),
  description: z.optional(text(2000)),
  variants: z.array(VariantSchema).check(z.minLength(2, 'an experiment needs at least 2 variants'), z.maxLength(20, 'at most 20 variants')),
  control: z.optional(key()),
  fallback: z.optional(key()),
  coverage: fraction('coverage'),
  salt: z.optional(shortText(128)),
  layer: z.optional(z.nullable(LayerSchema)),
  targeting: z.optional(z.nullable(TargetingSchema)),
  qaOverrides: z.boolean(),
  metrics: z.array(MetricSchema).check(z.maxLength(20, 'at most 20 metrics')),
  alpha: AlphaSchema,
  power: PowerSchema,
  minDetectableEffect: z.number().check(z.positive('minDetectableEffect must be greater than 0')),
  correction: z.enum(CORRECTIONS),
  sequentialNStar: z.int().check(z.positive('sequentialNStar must be a positive number of units')),
  allocation: z.optional(z.nullable(AllocationPolicySchema)),
  shards: z.optional(shardCount()),
  /** Up to 3 request attributes results are broken down by, beside country and device (src/core/segments.ts). */
  segments: z.optional(
    z.array(key()).check(
      z.maxLength(3, 'at most 3 segment attributes'),
      z.refine((s) => new Set(s).size === s.length, 'segment attributes must be distinct'),
      z.refine((s) => !s.includes('country') && !s.includes('device'), 'country and device are always segments; do not declare them'),
    ),
  ),
}

/** Analysis settings every experiment has, also for documents stored before they existed. */
const analysisDefaults = {
  correction: z._default(editableShape.correction, 'holm'),
  sequentialNStar: z._default(editableShape.sequentialNStar, 5000),
}

/** The metric every experiment has unless it declares its own: did the unit send `conversion`. */
export const DEFAULT_METRICS: Metric[] = [{ key: 'conversion', type: 'binomial', event: 'conversion', role: 'primary' }]

/** Body of `POST /v1/experiments`: the editable fields, with defaults. */
export const ExperimentCreateSchema = z
  .strictObject({
    key: key(),
    ...editableShape,
    coverage: z._default(editableShape.coverage, 1),
    qaOverrides: z._default(editableShape.qaOverrides, false),
    metrics: z._default(editableShape.metrics, DEFAULT_METRICS),
    /** Expected peak page views (or assign calls) a second: sizes `shards` when the body has none. */
    traffic: z.optional(z.number().check(z.positive('traffic must be a positive number of page views a second'), z.lte(1e9, 'traffic must be at most 1e9 page views a second'))),
    alpha: z._default(editableShape.alpha, 0.05),
    power: z._default(editableShape.power, 0.8),
    minDetectableEffect: z._default(editableShape.minDetectableEffect, 0.1),
    ...analysisDefaults,
  })
  .check(reported(checkConsistency))
export type ExperimentCreate = z.infer<typeof ExperimentCreateSchema>

/** Body of `PATCH /v1/experiments/:key`: any editable field; the merged result is checked whole. */
export const ExperimentPatchSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(editableShape).map(([k, s]) => [k, z.optional(s)])),
  version: z.optional(z.int()),
} as { [K in keyof typeof editableShape]: z.ZodMiniOptional<(typeof editableShape)[K]> } & { version: z.ZodMiniOptional<z.ZodMiniInt> })
export type ExperimentPatch = z.infer<typeof ExperimentPatchSchema>

/** An experiment as stored in KV: the editable fields plus lifecycle and bookkeeping. */
export const ExperimentSchema = z
  .strictObject({
    key: key(),
    /**
     * This instance of the experiment, set once at creation and never edited: counters are kept
     * under it (see `counterKeyOf`), so an experiment deleted and created again under the same key
     * starts from nothing. Documents stored before it existed have none and count under the key.
     */
    id: z.optional(z.string().check(z.regex(INSTANCE_ID_PATTERN, 'id must be 1-64 letters, digits or "-"'))),
    ...editableShape,
    ...analysisDefaults,
    hashVersion: z.literal(1),
    state: ExperimentStateSchema,
    rolloutVariant: z.nullable(key()),
    epoch: z.int().check(z.nonnegative()),
    allocationVersion: z.int().check(z.positive()),
    allocations: z.array(AllocationSchema),
    version: z.int().check(z.positive()),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.nullable(z.string()),
    endedAt: z.nullable(z.string()),
    bandit: z.optional(BanditStateSchema),
    /**
     * How the embedded store keeps this instance's counters, set once at creation: `pooled`, in
     * counter objects shared with every other pooled experiment of the same shard count, so an
     * exposure flush makes one call per shard however many experiments it carries (docs/scale.md,
     * "Pooled counter objects"). Documents created before pooling have none and keep the objects
     * of their own that hold their counts.
     */
    counters: z.optional(z.literal('pooled')),
  })
  .check(reported(checkConsistency))
export type Experiment = z.infer<typeof ExperimentSchema>

type Consistent = Pick<Experiment, 'variants' | 'metrics'> & Partial<Pick<Experiment, 'control' | 'fallback' | 'rolloutVariant' | 'allocation'>>

/** Cross-field rules that a field-by-field schema cannot express. */
function checkConsistency(e: Consistent, fail: (path: PropertyKey[], message: string) => void): void {
  const variantKeys = new Set<string>()
  e.variants.forEach((v, i) => {
    if (variantKeys.has(v.key)) fail(['variants', i, 'key'], `duplicate variant key "${v.key}"`)
    variantKeys.add(v.key)
  })
  for (const field of ['control', 'fallback', 'rolloutVariant'] as const) {
    const value = e[field]
    if (value != null && !variantKeys.has(value)) fail([field], `"${value}" is not one of the variants (${[...variantKeys].join(', ')})`)
  }
  const metricKeys = new Set<string>()
  e.metrics.forEach((m, i) => {
    if (metricKeys.has(m.key)) fail(['metrics', i, 'key'], `duplicate metric key "${m.key}"`)
    metricKeys.add(m.key)
    if (m.cap !== undefined && m.type !== 'mean') fail(['metrics', i, 'cap'], 'cap (winsorization) applies to mean metrics only')
    if (m.type === 'retention' && m.window === undefined) fail(['metrics', i, 'window'], 'a retention metric needs its window {start, end} in seconds after exposure')
    if (m.type === 'ratio' && m.window !== undefined) fail(['metrics', i, 'window'], 'windows apply to binomial, mean and retention metrics')
    if (m.type !== 'ratio') {
      if (m.event === undefined) fail(['metrics', i, 'event'], `a ${m.type} metric needs the event it counts`)
      if (m.numerator !== undefined || m.denominator !== undefined) fail(['metrics', i, 'numerator'], 'numerator and denominator belong to ratio metrics')
    } else {
      if (m.event !== undefined) fail(['metrics', i, 'event'], 'a ratio metric names its events in numerator and denominator, not event')
      for (const side of ['numerator', 'denominator'] as const) {
        const part = m[side]
        if (part === undefined) fail(['metrics', i, side], `a ratio metric needs a ${side}: an event name, a binomial or mean metric's key, or {event, aggregate}`)
        else if (typeof part === 'string' && e.metrics.some((o) => o.key === part && o.type === 'ratio')) fail(['metrics', i, side], `"${part}" is a ratio metric: name an event or a binomial or mean metric`)
      }
    }
  })
  const primaries = e.metrics.filter((m) => m.role === 'primary').length
  if (e.metrics.length > 0 && primaries !== 1) fail(['metrics'], `exactly one metric must be primary (found ${primaries})`)
  const a = e.allocation
  if (a && a.type !== 'fixed') {
    const k = e.variants.length
    const floor = a.floor ?? BANDIT_DEFAULTS.floor
    if (floor * k > 1 + 1e-12) fail(['allocation', 'floor'], `floor ${floor} × ${k} variants exceeds 1: use at most ${Math.floor((1 / k) * 1e4) / 1e4}`)
    const metric = a.metric === undefined ? e.metrics.find((m) => m.role === 'primary') : e.metrics.find((m) => m.key === a.metric)
    if (a.metric !== undefined && !metric) fail(['allocation', 'metric'], `"${a.metric}" is not one of the metrics (${e.metrics.map((m) => m.key).join(', ') || 'none'})`)
    else if (!metric) fail(['allocation', 'metric'], 'a bandit needs a binomial metric to maximise: declare one in metrics')
    else if (metric.type !== 'binomial') {
      fail(['allocation', 'metric'], `a bandit maximises a conversion rate, but "${metric.key}" is a ${metric.type} metric: name a binomial metric in allocation.metric`)
    }
  }
}

/** The control variant: `control` if set, else the first variant. */
export function controlOf(e: Pick<Experiment, 'variants' | 'control'>): string {
  return e.control ?? e.variants[0]!.key
}

/** The variant served when a unit is not in the experiment: `fallback` if set, else the control. */
export function fallbackOf(e: Pick<Experiment, 'variants' | 'control' | 'fallback'>): string {
  return e.fallback ?? controlOf(e)
}

/**
 * The binomial metric a bandit allocation maximises (`allocation.metric`, else the primary metric),
 * or undefined when the weights are fixed: whether a bandit chooses this experiment's weights.
 */
export function banditMetricOf(e: Pick<Experiment, 'allocation' | 'metrics'>): string | undefined {
  const a = e.allocation
  if (!a || a.type === 'fixed') return undefined
  return a.metric ?? e.metrics.find((m) => m.role === 'primary')?.key
}
