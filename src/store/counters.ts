/**
 * Counter field names and their parsed shape, shared by both stores (which write the fields) and
 * the results code (which reads them). The field grammar is documented on `RawCounters` in
 * counter-store.ts; the Lua scripts in upstash/scripts build the same names and the contract suite
 * checks them against these builders.
 */
import type { EventInput, ExposureInput, MetricSpec, RawCounters } from './counter-store'

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
} as const

/** Converters, sum and sum of squares of one metric (sum/sumSq stay 0 for binomial metrics). */
export type MetricCounters = { converters: number; sum: number; sumSq: number }

/** One variant's counters on one UTC day. */
export type DayVariantCounters = { exposures: number; metrics: Record<string, MetricCounters> }

/** One variant's counters over an epoch. */
export type VariantCounters = { exposures: number; byAllocation: Record<number, number>; metrics: Record<string, MetricCounters> }

/** One epoch: totals per variant, and the same per UTC day (`days[day][variant]`). */
export type EpochCounters = { variants: Record<string, VariantCounters>; days: Record<string, Record<string, DayVariantCounters>> }

/** All counters of one experiment, nested by epoch. */
export type ParsedCounters = { epochs: Record<number, EpochCounters> }

type Decoded = { kind: Kind; epoch: number; day: string; allocation: number; variant: string; metric: string }
type Kind = 'x' | 'xa' | 'xd' | 'n' | 's' | 'q' | 'nd' | 'sd' | 'qd'

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
}
const PART = { n: 'converters', s: 'sum', q: 'sumSq' } as const

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
        default:
          ;(daily.metrics[f.metric] as MetricCounters)[PART[f.kind[0] as 'n' | 's' | 'q']] += f.value
      }
    }
    epochs[epoch] = e
  }
  return { epochs }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * Rejects events the stores could not record faithfully, before any I/O: values and caps must be
 * finite, every metric an event names must be defined, keys must not contain the `|` separator.
 */
export function assertRecordableEvents(experiment: string, metrics: readonly MetricSpec[], events: readonly EventInput[]): void {
  const defined = new Set(metrics.map((m) => m.key))
  for (const m of metrics) {
    if (m.key.includes('|')) throw new TypeError(`${experiment}: metric key "${m.key}" contains "|"`)
    if (m.cap !== undefined && !Number.isFinite(m.cap)) throw new TypeError(`${experiment}: metric "${m.key}" has a non-finite cap`)
  }
  for (const e of events) {
    if (!Number.isFinite(e.value)) throw new TypeError(`${experiment}: event "${e.id}" has a non-finite value`)
    if (!DAY.test(e.day)) throw new TypeError(`${experiment}: event "${e.id}" has day "${e.day}", expected YYYY-MM-DD`)
    const unknown = e.metrics.find((m) => !defined.has(m))
    if (unknown !== undefined) throw new TypeError(`${experiment}: event "${e.id}" names metric "${unknown}", which the batch does not define`)
  }
}

/** Rejects an epoch that is not a whole number ≥ 0, before any I/O (it becomes part of field names). */
export function assertEpoch(experiment: string, epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new TypeError(`${experiment}: epoch ${epoch} is not a whole number ≥ 0`)
}

/** Rejects exposures whose variant or day would corrupt a counter field name, before any I/O. */
export function assertRecordableExposures(experiment: string, exposures: readonly ExposureInput[]): void {
  for (const x of exposures) {
    if (x.variant === '' || x.variant.includes('|')) throw new TypeError(`${experiment}: variant "${x.variant}" is empty or contains "|"`)
    if (!DAY.test(x.day)) throw new TypeError(`${experiment}: exposure of "${x.unit}" has day "${x.day}", expected YYYY-MM-DD`)
    if (!Number.isSafeInteger(x.allocationVersion)) throw new TypeError(`${experiment}: allocation version ${x.allocationVersion} is not an integer`)
  }
}
