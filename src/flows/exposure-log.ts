import { type Assignment, isFreshAssignment } from '../core/assignment-schema'
import { utcDay } from '../core/utc-day'
import type { ConfigSnapshot } from '../config/config-doc'
import { type SegmentSource, segmentValues } from '../core/segments'
import type { CounterStore, ExposureInput } from '../store/counter-store'
import { bufferExposures, CONFIRM_DELAY_MS, joinBuffer } from './exposure-buffer'

/** One experiment's exposures as the store takes them (`experiment` is its counter key). */
export type ExposureBatch = { experiment: string; epoch: number; exposures: ExposureInput[] }

/**
 * One unit's assignments, as its exposures are written from them: `snapshot` is the config they
 * were made from, `context` what the unit's segments are read from. `after`, for a write the
 * response waits on (writeExposures): what the request is waiting for meanwhile, such as the
 * site's origin fetch (joinBuffer).
 */
export type ExposedUnit = { unit: string; snapshot: ConfigSnapshot; assignments: readonly Assignment[]; context?: SegmentSource; after?: Promise<unknown> }

/**
 * The exposures to write for newly hashed (reason `hash` or `bandit`), enrolled units, one batch
 * per experiment. Units assigned from a sticky record were exposed already, and forced, bot or
 * fallback units are never counted (docs/design.md, "Counting"). `snapshot` is the config the
 * assignments were made from: it names each experiment's counters (its instance, not its key).
 * `context`, when given, is what the unit's segments are read from (src/core/segments.ts); they are
 * fixed at its first exposure. `keys` are the experiments' keys, in the batches' order.
 */
export function exposureBatches({ snapshot, unit, assignments, context }: ExposedUnit, now: number): { batches: ExposureBatch[]; keys: string[] } {
  const batches: ExposureBatch[] = []
  const keys: string[] = []
  let day: string | undefined
  for (const a of assignments) {
    if (!a.enrolled || !isFreshAssignment(a)) continue
    const target = snapshot.experiments.get(a.experiment)
    if (target === undefined) continue
    const exposure: ExposureInput = { unit, variant: a.variant, allocationVersion: a.allocationVersion, day: (day ??= utcDay(now)), at: Math.floor(now) }
    if (context) exposure.segments = segmentValues(target.experiment.segments, context)
    batches.push({ experiment: target.counterKey, epoch: a.epoch, exposures: [exposure] })
    keys.push(a.experiment)
  }
  return { batches, keys }
}

/**
 * Queues the exposures of one unit (see exposureBatches) for the isolate's next batched store
 * write; returns the promise to hand to `waitUntil`, or null when there is nothing to write.
 */
export function logExposures(store: CounterStore, exposed: ExposedUnit, now: number): Promise<unknown> | null {
  const { batches } = exposureBatches(exposed, now)
  return batches.length ? bufferExposures(store, batches) : null
}

/**
 * Writes the exposures of one unit (see exposureBatches) now, through the short CONFIRM_DELAY_MS
 * buffer (requests arriving together share one call per shard). `acked` resolves to the experiments
 * whose exposure the store acknowledged: all of them when the call that carried them resolved, none
 * when it failed (all or nothing, so nothing is marked that the store may lack; the store counts a
 * unit's first exposure only, so sending it again later is safe: docs/scale.md). `write` is the
 * call to hand to `waitUntil`, or null when another request's call carries the exposures. Neither
 * rejects: a failure is logged. Null when there is nothing to write.
 */
export function writeExposures(store: CounterStore, exposed: ExposedUnit, now: number): ConfirmedWrite | null {
  const { batches, keys } = exposureBatches(exposed, now)
  if (!batches.length) return null
  const { write, written } = joinBuffer(store, batches, CONFIRM_DELAY_MS, exposed.after)
  // Only the opener holds a waitUntil: one per joiner cost a site page view 3–5% (docs/performance.md, "Joiners hold no waitUntil").
  return { write, acked: written.then((ok) => (ok ? new Set(keys) : new Set<string>())) }
}

/** A unit's exposures on their way (writeExposures): the acknowledgement, and the call to keep alive if this request made it. */
export type ConfirmedWrite = { acked: Promise<Set<string>>; write: Promise<unknown> | null }
