import { StoreUnavailableError } from '../core/errors'
import type { CounterStore } from './counter-store'

/** A store slower than this is treated as unreachable (docs/design.md, "Config and failure"). */
export const STORE_TIMEOUT_MS = 1000

/**
 * Wraps a counter store so every call fails fast with `StoreUnavailableError` when the store is
 * unreachable, errors, or takes longer than the timeout; callers then degrade (assignment) or
 * answer 503 (ingestion) instead of hanging or answering 500.
 */
export function guardedStore(store: CounterStore, timeoutMs = STORE_TIMEOUT_MS): CounterStore {
  const guard = <T>(what: string, work: () => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`${store.kind} counter store: ${what} took longer than ${timeoutMs} ms`)), timeoutMs)
    })
    const attempt = work().catch((error: unknown) => {
      if (error instanceof StoreUnavailableError) throw error
      throw new StoreUnavailableError(`${store.kind} counter store: ${what} failed: ${(error as Error)?.message ?? String(error)}`)
    })
    return Promise.race([attempt, timeout]).finally(() => timer !== undefined && clearTimeout(timer))
  }
  return {
    kind: store.kind,
    getSticky: (experiments, unit) => guard('reading sticky assignments', () => store.getSticky(experiments, unit)),
    recordExposures: (batches) => guard('recording exposures', () => store.recordExposures(batches)),
    recordEvents: (batches) => guard('recording events', () => store.recordEvents(batches)),
    getExposureTimes: (experiment, units) => guard('reading exposure times', () => store.getExposureTimes(experiment, units)),
    getCounters: (experiment) => guard('reading counters', () => store.getCounters(experiment)),
    advanceEpoch: (experiment, epoch) => guard('advancing the epoch', () => store.advanceEpoch(experiment, epoch)),
  }
}
