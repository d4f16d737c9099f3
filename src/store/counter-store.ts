/**
 * The counter store: exact exposure and conversion counts per experiment, epoch and variant.
 *
 * Two implementations pass one contract suite (test/workers/store-contract.test.ts):
 * - `UpstashCounterStore` (src/store/upstash/): production, through `@upstash/redis`, Lua scripts.
 * - `DurableObjectCounterStore` (src/store/durable-object/): the embedded default, one SQLite
 *   Durable Object per experiment shard.
 *
 * An experiment's counters are spread over the shards its counter key names (src/core/counter-key.ts,
 * routed by src/store/shard-router.ts; one shard is the layout before sharding). A unit always lands
 * on the same shard, so everything below that is per unit holds exactly; event ids are remembered
 * on their unit's shard (with several shards, an id reused for another unit is not a duplicate);
 * the finiteness guard is per shard (sums over shards stay finite because ingestion bounds |value|
 * by 1e12); a read sums every shard and fails when any shard fails.
 *
 * Semantics (docs/design.md, "Counting"):
 * - The first exposure of a unit creates its sticky record `{variant, epoch, allocationVersion}` and
 *   is the only one counted: a unit counts in exactly one epoch, the one it was first assigned in.
 *   A unit whose sticky record is from an earlier epoch is not counted again (after a restart only
 *   newly assigned units count: docs/design.md, "Lifecycle and epochs").
 * - The store keeps, per experiment, the newest epoch it was told of (by `advanceEpoch` or by any
 *   write carrying it) and records every write under that epoch when the write's is older: each
 *   isolate caches config for up to 30 s, and a unit first exposed after a restart by an isolate
 *   that still has the old epoch really was exposed in the new one. Epochs never go back.
 * - An event counts only for units whose sticky record is in the experiment's current epoch, under
 *   the sticky variant (the server's, never the client's). Event ids are remembered for
 *   `ID_TTL_MS`; a repeated id is a duplicate and changes nothing. An event that is ignored
 *   (unit not exposed) does not consume its id, so it can count when retried after the exposure.
 * - Binomial metric: the unit converts once (first event), counted on the day of that event.
 * - Mean metric: the per-unit total of `value`, winsorized at `cap` when set (the capped total,
 *   min(total, cap), is what enters sum and sum of squares). Converters counts units with ≥ 1 event.
 * - No counter and no per-unit total is ever written non-finite: an event whose update would make
 *   any of them ±Infinity or NaN (a value of 1e200 squares to Infinity) gets `invalid_value` and
 *   changes nothing, not even its id, so one bad event can neither poison the sums for good nor
 *   fail the rest of its batch.
 * - Every counter also exists per UTC day (exposures by day of first exposure; converters by day of
 *   first conversion; sum/sumSq increments by the day they happen), so cumulative series are exact.
 * - One call is one atomic operation on each shard it touches (a Lua script; a SQLite transaction),
 *   and a batch of exposures or events is one call: one round trip.
 */

import type { StickyRecord } from '../core/assign'
import type { RawCounters } from '../core/counters'
import type { SegmentValues } from '../core/segments'

/** How long event ids are remembered for deduplication. */
export const ID_TTL_MS = 7 * 24 * 3600 * 1000

/**
 * One exposure to record: the assignment served to an enrolled unit; `at` (ms) is kept with a first
 * exposure for conversion windows (src/store/exposure-times.ts), and `segments` (dimension → value)
 * with it for segment counters (src/store/segment-writes.ts).
 */
export type ExposureInput = { unit: string; variant: string; allocationVersion: number; day: string; at?: number; segments?: SegmentValues }

/** A metric as the store needs it. */
export type MetricSpec = { key: string; type: 'binomial' | 'mean' | 'ratio'; cap?: number }

/**
 * One event to count for one experiment; `metrics` are the experiment's metrics listening to it,
 * a ratio metric as `<key>|<dx>|<dy>` (src/store/ratio-writes.ts): per unit the store keeps the
 * numerator and denominator totals x and y, and per variant n, Σx, Σx², Σy, Σy² and Σxy.
 */
export type EventInput = { id: string; unit: string; value: number; day: string; metrics: string[] }

/** What happened to one event in one experiment. */
export type EventOutcome = 'counted' | 'duplicate' | 'not_exposed' | 'earlier_epoch' | 'invalid_value'

/** Every event outcome, for checking what a store answered. */
export const EVENT_OUTCOMES: readonly EventOutcome[] = ['counted', 'duplicate', 'not_exposed', 'earlier_epoch', 'invalid_value']

/** The counter store interface both implementations provide. */
export interface CounterStore {
  /** Which implementation this is ('upstash' or 'durable-object'). */
  readonly kind: string
  /**
   * Sticky records of one unit in several experiments (one round trip), each with its allocation
   * version; missing ones are absent.
   */
  getSticky(experiments: readonly string[], unit: string): Promise<Record<string, StickyRecord>>
  /**
   * Records exposures, grouped by experiment, with each experiment's current epoch. Returns, per
   * experiment, how many were newly counted. One round trip for the whole call.
   */
  recordExposures(batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<Record<string, number>>
  /**
   * Counts events, grouped by experiment, each with its current epoch and the metric definitions the
   * events refer to. Returns outcomes in input order per experiment. One round trip for the call.
   */
  recordEvents(
    batches: readonly { experiment: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }[],
  ): Promise<Record<string, EventOutcome[]>>
  /**
   * When each of `units` was first exposed in one experiment (ms), for conversion windows; units
   * without a recorded time are absent (one round trip).
   */
  getExposureTimes(experiment: string, units: readonly string[]): Promise<Record<string, number>>
  /** All counters of one experiment (one round trip). */
  getCounters(experiment: string): Promise<RawCounters>
  /**
   * Tells the store that an experiment's epoch is now at least `epoch` (after a restart), so writes
   * from isolates still caching the older epoch count in this one. Returns the epoch the store now
   * holds. Best effort for the caller: the first write carrying the new epoch advances it anyway.
   */
  advanceEpoch(experiment: string, epoch: number): Promise<number>
}
