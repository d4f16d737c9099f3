import type { StickyReader } from '../core/assign'
import type { CompiledExperiment } from '../core/compile'
import type { CounterStore } from '../store/counter-store'

/**
 * Reads, in one round trip, the sticky records of one unit for the experiments where they can
 * matter (weights changed since start, or a restart). Returns no reader when none can matter
 * — the common case, with no I/O at all — and degrades to pure hashing when the store fails.
 * Records are read under each experiment's counter key (its instance) and handed back by key.
 */
export async function prefetchSticky(store: CounterStore, targets: readonly CompiledExperiment[], unit: string): Promise<StickyReader | undefined> {
  const wanted = targets.filter((t) => t.stickyMatters && t.experiment.state === 'running')
  if (wanted.length === 0) return undefined
  try {
    const records = await store.getSticky(wanted.map((t) => t.counterKey), unit)
    const byKey = new Map(wanted.map((t) => [t.experiment.key, records[t.counterKey] ?? null]))
    return async (experiment) => byKey.get(experiment) ?? null
  } catch (error) {
    console.warn(`assign: ${(error as Error).message}; assigning by hash alone`)
    return undefined
  }
}
