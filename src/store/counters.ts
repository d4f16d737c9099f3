/**
 * The stores' write-side checks: what a batch must satisfy before either store turns it into
 * counter field names (src/core/counters.ts) and writes them.
 */
import type { EventInput, ExposureInput, MetricSpec } from './counter-store'
import { parseWindowToken } from './exposure-times'
import { parseRatioToken } from './ratio-writes'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const SEGMENT_PART = /^[^|\u0000-\u001f\u007f]{1,64}$/

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
    // A ratio metric is named by its token `<key>|<dx>|<dy>` (src/store/ratio-writes.ts).
    const unknown = e.metrics.find((m) => !defined.has(parseWindowToken(m)?.key ?? m) && !isRatioOf(metrics, m))
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
    if (x.at !== undefined && !(Number.isSafeInteger(x.at) && x.at >= 0)) throw new TypeError(`${experiment}: exposure of "${x.unit}" has time ${x.at}, expected ms since 1970`)
    // Segments become parts of field names (src/core/segments.ts): 2 built-in + at most 3 declared.
    const segments = Object.entries(x.segments ?? {})
    if (segments.length > 5 || segments.some(([d, v]) => !SEGMENT_PART.test(d) || !SEGMENT_PART.test(v))) throw new TypeError(`${experiment}: exposure of "${x.unit}" has unrecordable segments`)
  }
}

/** Rejects a write's batches (their epochs, then their exposures or events) before any I/O: both stores' first step. */
export function assertBatches(batches: readonly ({ experiment: string; epoch: number } & ({ exposures: readonly ExposureInput[] } | { metrics: readonly MetricSpec[]; events: readonly EventInput[] }))[]): void {
  for (const b of batches) {
    assertEpoch(b.experiment, b.epoch)
    if ('exposures' in b) assertRecordableExposures(b.experiment, b.exposures)
    else assertRecordableEvents(b.experiment, b.metrics, b.events)
  }
}

/** Whether `token` is a well-formed ratio token of a ratio metric the batch defines. */
function isRatioOf(metrics: readonly MetricSpec[], token: string): boolean {
  const r = parseRatioToken(token)
  return r !== null && metrics.some((m) => m.key === r.key && m.type === 'ratio')
}
