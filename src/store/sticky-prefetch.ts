import type { StickyReader } from '../core/assign'
import type { CompiledExperiment } from '../core/compile'
import type { CounterStore } from './counter-store'

/**
 * Reads, in one round trip, the sticky records of one unit for the experiments where they can
 * matter (SPEC: weights changed since start, or a restart). Returns no reader when none can matter
 * — the common case, with no I/O at all — and degrades to pure hashing when the store fails.
 */
export async function prefetchSticky(store: CounterStore, targets: readonly CompiledExperiment[], unit: string): Promise<StickyReader | undefined> {
  const keys = targets.filter((t) => t.stickyMatters && t.experiment.state === 'running').map((t) => t.experiment.key)
  if (keys.length === 0) return undefined
  try {
    const records = await store.getSticky(keys, unit)
    return async (experiment) => records[experiment] ?? null
  } catch (error) {
    console.warn(`assign: ${(error as Error).message}; assigning by hash alone`)
    return undefined
  }
}
