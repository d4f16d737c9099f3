/**
 * Counter field names, their grammar and their parsed shape: pure, shared by both stores (which
 * write the fields: src/store/) and the results code (which reads them). The Lua scripts in
 * src/store/upstash/scripts build the same names and the store contract suite checks them against
 * these builders. Semantics of the counts: docs/design.md, "Counting".
 */

import * as z from 'zod/mini'

/**
 * All counters of one experiment as a flat map of field → number. Field names (also the Redis
 * hash fields and the SQLite counter names), with `|` separators:
 *   x|<epoch>|<variant>                     exposures
 *   xa|<epoch>|<allocationVersion>|<variant> exposures by allocation version (for SRM)
 *   xd|<epoch>|<day>|<variant>              exposures by day of first exposure
 *   n|<epoch>|<variant>|<metric>            converters (units with ≥ 1 event)
 *   s|<epoch>|<variant>|<metric>            sum of per-unit (capped) totals
 *   q|<epoch>|<variant>|<metric>            sum of squares of per-unit (capped) totals
 *   nd|… sd|… qd|<epoch>|<day>|<variant>|<metric>   the same by UTC day
 * and for ratio metrics, whose n, s and q are the numerator's (units with an event, Σx, Σx²):
 *   sy|<epoch>|<variant>|<metric>           Σy, the sum of per-unit denominator totals
 *   qy|<epoch>|<variant>|<metric>           Σy²
 *   p|<epoch>|<variant>|<metric>            Σxy, the sum of per-unit cross products
 *   syd|… qyd|… pd|<epoch>|<day>|<variant>|<metric>  the same by UTC day
 * Variant and metric keys never contain `|` (see KEY_PATTERN in experiment.ts).
 */
export type RawCounters = Record<string, number>

/** Builders for every counter field name (`x|1|A`, `nd|1|2026-11-01|A|buy`, …). */
export const field = {
  /** Exposures of a variant in an epoch. */
  exposures: (epoch: number, variant: string) => `x|${epoch}|${variant}`,
  /** Exposures of a variant in an epoch under one allocation version (for SRM). */
  exposuresByAllocation: (epoch: number, allocationVersion: number, variant: string) => `xa|${epoch}|${allocationVersion}|${variant}`,
  /** Exposures of a variant by UTC day of first exposure. */
  exposuresByDay: (epoch: number, day: string, variant: string) => `xd|${epoch}|${day}|${variant}`,
  /** Units with at least one event of a metric. */
  converters: (epoch: number, variant: string, metric: string) => `n|${epoch}|${variant}|${metric}`,
  /** Sum of per-unit (capped) totals of a metric. */
  sum: (epoch: number, variant: string, metric: string) => `s|${epoch}|${variant}|${metric}`,
  /** Sum of squares of per-unit (capped) totals of a metric. */
  sumSq: (epoch: number, variant: string, metric: string) => `q|${epoch}|${variant}|${metric}`,
  /** Converters by UTC day of first conversion. */
  convertersByDay: (epoch: number, day: string, variant: string, metric: string) => `nd|${epoch}|${day}|${variant}|${metric}`,
  /** Sum increments by UTC day they happened. */
  sumByDay: (epoch: number, day: string, variant: string, metric: string) => `sd|${epoch}|${day}|${variant}|${metric}`,
  /** Sum-of-squares increments by UTC day they happened. */
  sumSqByDay: (epoch: number, day: string, variant: string, metric: string) => `qd|${epoch}|${day}|${variant}|${metric}`,
  /** Ratio metrics: Σy of per-unit denominator totals. */
  sumY: (epoch: number, variant: string, metric: string) => `sy|${epoch}|${variant}|${metric}`,
  /** Ratio metrics: Σy². */
  sumSqY: (epoch: number, variant: string, metric: string) => `qy|${epoch}|${variant}|${metric}`,
  /** Ratio metrics: Σxy of per-unit numerator × denominator totals. */
  sumXY: (epoch: number, variant: string, metric: string) => `p|${epoch}|${variant}|${metric}`,
  /** Ratio metrics: Σy increments by UTC day. */
  sumYByDay: (epoch: number, day: string, variant: string, metric: string) => `syd|${epoch}|${day}|${variant}|${metric}`,
  /** Ratio metrics: Σy² increments by UTC day. */
  sumSqYByDay: (epoch: number, day: string, variant: string, metric: string) => `qyd|${epoch}|${day}|${variant}|${metric}`,
  /** Ratio metrics: Σxy increments by UTC day. */
  sumXYByDay: (epoch: number, day: string, variant: string, metric: string) => `pd|${epoch}|${day}|${variant}|${metric}`,
} as const

// The parsed shapes are zod schemas so the counts endpoint's OpenAPI answer is described from them.

/**
 * Converters, sum and sum of squares of one metric (sum/sumSq stay 0 for binomial metrics); a ratio
 * metric's sum and sumSq are its numerator's, and it also has sumY, sumSqY and sumXY.
 */
export const MetricCountersSchema = z.object({
  converters: z.number(),
  sum: z.number(),
  sumSq: z.number(),
  sumY: z.optional(z.number()),
  sumSqY: z.optional(z.number()),
  sumXY: z.optional(z.number()),
})
export type MetricCounters = z.infer<typeof MetricCountersSchema>

/** One variant's counters on one UTC day. */
export const DayVariantCountersSchema = z.object({ exposures: z.number(), metrics: z.record(z.string(), MetricCountersSchema) })
export type DayVariantCounters = z.infer<typeof DayVariantCountersSchema>

/** One variant's counters over an epoch; `byAllocation` is keyed by allocation version. */
export const VariantCountersSchema = z.object({
  exposures: z.number(),
  byAllocation: z.record(z.string(), z.number()),
  metrics: z.record(z.string(), MetricCountersSchema),
})
export type VariantCounters = z.infer<typeof VariantCountersSchema>

/** One epoch: totals per variant, and the same per UTC day (`days[day][variant]`). */
export const EpochCountersSchema = z.object({
  variants: z.record(z.string(), VariantCountersSchema),
  days: z.record(z.string(), z.record(z.string(), DayVariantCountersSchema)),
})
export type EpochCounters = z.infer<typeof EpochCountersSchema>

/** All counters of one experiment, nested by epoch (keyed by epoch number). */
export const ParsedCountersSchema = z.object({ epochs: z.record(z.string(), EpochCountersSchema) })
export type ParsedCounters = z.infer<typeof ParsedCountersSchema>

type Decoded = { kind: Kind; epoch: number; day: string; allocation: number; variant: string; metric: string }
type Kind = 'x' | 'xa' | 'xd' | 'n' | 's' | 'q' | 'nd' | 'sd' | 'qd' | 'sy' | 'qy' | 'p' | 'syd' | 'qyd' | 'pd'

// Parts after `<kind>|<epoch>`, in order, for each field kind.
const LAYOUT: Record<Kind, readonly ('day' | 'allocation' | 'variant' | 'metric')[]> = {
  x: ['variant'],
  xa: ['allocation', 'variant'],
  xd: ['day', 'variant'],
  n: ['variant', 'metric'],
  s: ['variant', 'metric'],
  q: ['variant', 'metric'],
  nd: ['day', 'variant', 'metric'],
  sd: ['day', 'variant', 'metric'],
  qd: ['day', 'variant', 'metric'],
  sy: ['variant', 'metric'],
  qy: ['variant', 'metric'],
  p: ['variant', 'metric'],
  syd: ['day', 'variant', 'metric'],
  qyd: ['day', 'variant', 'metric'],
  pd: ['day', 'variant', 'metric'],
}
const PART = { n: 'converters', s: 'sum', q: 'sumSq' } as const
// Ratio parts, by field kind (totals and their per-day forms); absent until a ratio field is seen.
const RATIO_PART = { sy: 'sumY', qy: 'sumSqY', p: 'sumXY', syd: 'sumY', qyd: 'sumSqY', pd: 'sumXY' } as const

/** Splits one field name; null for names this version does not know. */
function decode(name: string): Decoded | null {
  const [kind = '', epochText, ...parts] = name.split('|')
  // hasOwn: a field named like "constructor|1|A" must not reach Object.prototype.
  const layout = Object.hasOwn(LAYOUT, kind) ? LAYOUT[kind as Kind] : undefined
  const epoch = Number(epochText)
  if (!layout || parts.length !== layout.length || !Number.isSafeInteger(epoch) || parts.some((p) => p === '')) return null
  const d: Decoded = { kind: kind as Kind, epoch, day: '', allocation: 0, variant: '', metric: '' }
  layout.forEach((slot, i) => {
    const part = parts[i] as string
    if (slot === 'allocation') d.allocation = Number(part)
    else d[slot] = part
  })
  return Number.isSafeInteger(d.allocation) ? d : null
}

/**
 * Nests a flat counter map by epoch, variant, metric and day. Zero-filled so consumers never branch
 * on absence: within an epoch, every variant seen anywhere in it gets every metric, allocation
 * version and day seen anywhere in it. Unknown or malformed fields are skipped, so a newer writer
 * never breaks an older reader.
 */
export function parseCounters(raw: RawCounters): ParsedCounters {
  const fields = Object.entries(raw).flatMap(([name, value]) => {
    const d = decode(name)
    return d && Number.isFinite(value) ? [{ ...d, value }] : []
  })
  const epochs: Record<number, EpochCounters> = {}
  for (const epoch of new Set(fields.map((f) => f.epoch))) {
    const mine = fields.filter((f) => f.epoch === epoch)
    const variants = new Set(mine.map((f) => f.variant))
    const metrics = new Set(mine.filter((f) => f.metric).map((f) => f.metric))
    const allocations = new Set(mine.filter((f) => f.kind === 'xa').map((f) => f.allocation))
    const days = new Set(mine.filter((f) => f.day).map((f) => f.day))
    const zeroMetrics = () => Object.fromEntries([...metrics].map((m): [string, MetricCounters] => [m, { converters: 0, sum: 0, sumSq: 0 }]))
    const e: EpochCounters = { variants: {}, days: {} }
    for (const v of variants) {
      e.variants[v] = { exposures: 0, byAllocation: Object.fromEntries([...allocations].map((av) => [av, 0])), metrics: zeroMetrics() }
    }
    for (const day of days) e.days[day] = Object.fromEntries([...variants].map((v) => [v, { exposures: 0, metrics: zeroMetrics() }]))
    for (const f of mine) {
      const total = e.variants[f.variant] as VariantCounters
      const daily = e.days[f.day]?.[f.variant] as DayVariantCounters
      switch (f.kind) {
        case 'x':
          total.exposures += f.value
          break
        case 'xa':
          total.byAllocation[f.allocation] = (total.byAllocation[f.allocation] ?? 0) + f.value
          break
        case 'xd':
          daily.exposures += f.value
          break
        case 'n':
        case 's':
        case 'q':
          ;(total.metrics[f.metric] as MetricCounters)[PART[f.kind]] += f.value
          break
        case 'sy':
        case 'qy':
        case 'p':
        case 'syd':
        case 'qyd':
        case 'pd': {
          const m = (f.kind.endsWith('d') ? daily : total).metrics[f.metric] as MetricCounters
          const part = RATIO_PART[f.kind]
          m[part] = (m[part] ?? 0) + f.value
          break
        }
        default:
          ;(daily.metrics[f.metric] as MetricCounters)[PART[f.kind[0] as 'n' | 's' | 'q']] += f.value
      }
    }
    epochs[epoch] = e
  }
  return { epochs }
}
