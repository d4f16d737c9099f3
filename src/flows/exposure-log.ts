import { type Assignment, isFreshAssignment } from '../core/assignment-schema'
import { utcDay } from '../core/utc-day'
import type { ConfigSnapshot } from '../config/config-doc'
import type { CounterStore, ExposureInput } from '../store/counter-store'
import { bufferExposures } from './exposure-buffer'

/**
 * Queues the exposures of newly hashed (reason `hash` or `bandit`), enrolled units for the
 * isolate's next batched store write; returns the promise to hand to `waitUntil`, or null. Units
 * assigned from a sticky record were exposed already, and forced, bot or fallback units are never
 * counted (docs/design.md, "Counting"). `snapshot` is the config the assignments were made from: it
 * names each experiment's counters (its instance, not its key).
 */
export function logExposures(store: CounterStore, snapshot: ConfigSnapshot, unit: string, assignments: readonly Assignment[], now: number): Promise<unknown> | null {
  const batches: { experiment: string; epoch: number; exposures: ExposureInput[] }[] = []
  let day: string | undefined
  for (const a of assignments) {
    if (!a.enrolled || !isFreshAssignment(a)) continue
    const counterKey = snapshot.experiments.get(a.experiment)?.counterKey
    if (counterKey === undefined) continue
    const exposure: ExposureInput = { unit, variant: a.variant, allocationVersion: a.allocationVersion, day: (day ??= utcDay(now)), at: Math.floor(now) }
    batches.push({ experiment: counterKey, epoch: a.epoch, exposures: [exposure] })
  }
  return batches.length ? bufferExposures(store, batches) : null
}
