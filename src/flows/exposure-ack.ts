import type { ConfigSnapshot } from '../config/config-doc'
import type { CounterStore } from '../store/counter-store'

/**
 * Which of these experiments the store already holds `unit`'s exposure in, in the experiment's
 * current epoch: the proof a caller needs before it stops sending the exposure (docs/scale.md,
 * "Writes that grow with new units"). One round trip, to the unit's shard of each experiment.
 * A store that fails acknowledges nothing, so the exposure is sent again (the store counts it once;
 * the failure itself shows in the exposure write that follows).
 */
export async function acknowledgedExposures(store: CounterStore, snapshot: ConfigSnapshot, unit: string, keys: readonly string[]): Promise<Set<string>> {
  const targets = keys.flatMap((k) => snapshot.experiments.get(k) ?? [])
  if (targets.length === 0) return new Set()
  try {
    const records = await store.getSticky(targets.map((t) => t.counterKey), unit)
    return new Set(targets.filter((t) => records[t.counterKey]?.epoch === t.experiment.epoch).map((t) => t.experiment.key))
  } catch {
    return new Set()
  }
}
