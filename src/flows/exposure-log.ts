import { type Assignment, isFreshAssignment } from '../core/assignment-schema'
import { utcDay } from '../core/utc-day'
import type { ConfigSnapshot } from '../config/config-doc'
import { type SegmentSource, segmentValues } from '../core/segments'
import type { CounterStore, ExposureInput } from '../store/counter-store'
import { bufferExposures } from './exposure-buffer'

/**
 * Queues the exposures of newly hashed (reason `hash` or `bandit`), enrolled units for the
 * isolate's next batched store write; returns the promise to hand to `waitUntil`, or null. Units
 * assigned from a sticky record were exposed already, and forced, bot or fallback units are never
 * counted (docs/design.md, "Counting"). `snapshot` is the config the assignments were made from: it
 * names each experiment's counters (its instance, not its key). `context`, when given, is what the
 * unit's segments are read from (src/core/segments.ts); they are fixed at its first exposure.
 */
export function logExposures(store: CounterStore, snapshot: ConfigSnapshot, unit: string, assignments: readonly Assignment[], now: number, context?: SegmentSource): Promise<unknown> | null {
  const batches: { experiment: string; epoch: number; exposures: ExposureInput[] }[] = []
  let day: string | undefined
  for (const a of assignments) {
    if (!a.enrolled || !isFreshAssignment(a)) continue
    const target = snapshot.experiments.get(a.experiment)
    if (target === undefined) continue
    const counterKey = target.counterKey
    const exposure: ExposureInput = { unit, variant: a.variant, allocationVersion: a.allocationVersion, day: (day ??= utcDay(now)), at: Math.floor(now) }
    if (context) exposure.segments = segmentValues(target.experiment.segments, context)
    batches.push({ experiment: counterKey, epoch: a.epoch, exposures: [exposure] })
  }
  return batches.length ? bufferExposures(store, batches) : null
}
